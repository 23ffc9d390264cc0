"""Django admin for the engagement applet."""

from django.contrib import admin

from .models import CourseEnrollmentCelebration, CourseGoal, LastSeenCoursewareTimezone, UserActivity, UserCelebration


@admin.register(CourseGoal)
class CourseGoalAdmin(admin.ModelAdmin):
    list_display = ["user", "course_key", "days_per_week", "subscribed_to_reminders"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(UserActivity)
class UserActivityAdmin(admin.ModelAdmin):
    list_display = ["user", "course_key", "date"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(CourseEnrollmentCelebration)
class CourseEnrollmentCelebrationAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "celebrate_first_section", "celebrate_weekly_goal"]


@admin.register(UserCelebration)
class UserCelebrationAdmin(admin.ModelAdmin):
    list_display = ["user", "streak_length", "longest_ever_streak", "last_day_of_streak"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(LastSeenCoursewareTimezone)
class LastSeenCoursewareTimezoneAdmin(admin.ModelAdmin):
    list_display = ["user", "last_seen_courseware_timezone"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]

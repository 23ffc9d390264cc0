"""Django admin for the engagement applet."""

from django.contrib import admin

from ...core.admin_rows import register_learner_rows
from .models import CourseEnrollmentCelebration, CourseGoal, LastSeenCoursewareTimezone, UserActivity, UserCelebration

register_learner_rows({
    CourseGoal: ["user", "course_key", "days_per_week", "subscribed_to_reminders"],
    UserActivity: ["user", "course_key", "date"],
    UserCelebration: ["user", "streak_length", "longest_ever_streak", "last_day_of_streak"],
    LastSeenCoursewareTimezone: ["user", "last_seen_courseware_timezone"],
})


@admin.register(CourseEnrollmentCelebration)
class CourseEnrollmentCelebrationAdmin(admin.ModelAdmin):
    list_display = ["enrollment", "celebrate_first_section", "celebrate_weekly_goal"]

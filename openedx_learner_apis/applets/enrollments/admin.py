"""Django admin for the enrollments applet."""

from django.contrib import admin

from .models import CourseDurationLimitConfig, Enrollment


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["user", "course", "mode", "is_active", "created"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(CourseDurationLimitConfig)
class CourseDurationLimitConfigAdmin(admin.ModelAdmin):
    list_display = ["enabled", "enabled_as_of", "org", "course_key", "change_date"]

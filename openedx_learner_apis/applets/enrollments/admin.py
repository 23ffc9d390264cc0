"""Django admin for the enrollments applet."""

from django.contrib import admin

from ...core.admin_rows import register_learner_rows
from .models import CourseDurationLimitConfig, Enrollment

register_learner_rows({Enrollment: ["user", "course", "mode", "is_active", "created"]})


@admin.register(CourseDurationLimitConfig)
class CourseDurationLimitConfigAdmin(admin.ModelAdmin):
    list_display = ["enabled", "enabled_as_of", "org", "course_key", "change_date"]

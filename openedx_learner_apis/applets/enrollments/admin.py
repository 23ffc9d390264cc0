"""Django admin for the enrollments applet; the duration limits use config_models' keyed admin (history kept)."""

from config_models.admin import KeyedConfigurationModelAdmin
from django.contrib import admin

from ...core.admin_rows import register_learner_rows
from .models import CourseDurationLimitConfig, Enrollment

register_learner_rows({Enrollment: ["user", "course", "mode", "is_active", "created"]})


admin.site.register(CourseDurationLimitConfig, KeyedConfigurationModelAdmin)

"""Django admin for the learners applet."""

from django.contrib import admin

from ...core.admin_rows import LearnerRowAdmin
from .models import LearnerProfile, UserPreference


@admin.register(LearnerProfile)
class LearnerProfileAdmin(LearnerRowAdmin):
    list_display = ["user", "name", "year_of_birth", "profile_image_uploaded_at"]
    search_fields = [*LearnerRowAdmin.search_fields, "name"]


@admin.register(UserPreference)
class UserPreferenceAdmin(LearnerRowAdmin):
    list_display = ["user", "key", "value"]
    search_fields = [*LearnerRowAdmin.search_fields, "key"]

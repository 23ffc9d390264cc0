"""Django admin for the learners applet."""

from django.contrib import admin

from .models import LearnerProfile, UserPreference


@admin.register(LearnerProfile)
class LearnerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "year_of_birth", "profile_image_uploaded_at"]
    search_fields = ["user__username", "name"]
    raw_id_fields = ["user"]


@admin.register(UserPreference)
class UserPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "key", "value"]
    search_fields = ["user__username", "key"]
    raw_id_fields = ["user"]

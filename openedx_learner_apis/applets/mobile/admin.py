"""Django admin for the mobile applet."""

from django.contrib import admin

from .models import IgnoreMobileAvailableFlagConfig, MobileConfig


@admin.register(MobileConfig)
class MobileConfigAdmin(admin.ModelAdmin):
    list_display = ["name", "value", "modified"]
    search_fields = ["name"]


@admin.register(IgnoreMobileAvailableFlagConfig)
class IgnoreMobileAvailableFlagConfigAdmin(admin.ModelAdmin):
    list_display = ["enabled", "change_date", "changed_by"]

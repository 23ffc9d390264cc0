"""Django admin for the mobile applet: config_models' admins, where a change adds a row and the history stays."""

from config_models.admin import ConfigurationModelAdmin, KeyedConfigurationModelAdmin
from django.contrib import admin

from .models import IgnoreMobileAvailableFlagConfig, MobileConfig


@admin.register(MobileConfig)
class MobileConfigAdmin(KeyedConfigurationModelAdmin):
    """The current value of each name; "Update" adds a row with the new value (``?show_history=1`` lists all)."""

    search_fields = ["name"]


admin.site.register(IgnoreMobileAvailableFlagConfig, ConfigurationModelAdmin)

"""Django admin for the badges applet."""

from django.contrib import admin

from .models import BadgeClass, BadgeAssertion


@admin.register(BadgeClass)
class BadgeClassAdmin(admin.ModelAdmin):
    list_display = ["slug", "issuing_component", "course_key", "display_name"]
    search_fields = ["slug", "display_name"]


@admin.register(BadgeAssertion)
class BadgeAssertionAdmin(admin.ModelAdmin):
    list_display = ["user", "badge_class", "created"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]

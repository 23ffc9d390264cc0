"""Django admin for the courses applet."""

from django.contrib import admin

from .models import Block, Course, CourseAccessRole, CourseMode, SubsectionPrerequisite


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["course_key", "display_name", "start", "end", "mobile_available", "self_paced"]
    search_fields = ["display_name", "org"]


@admin.register(CourseMode)
class CourseModeAdmin(admin.ModelAdmin):
    list_display = ["course", "mode_slug", "min_price", "currency", "sku", "android_sku", "ios_sku"]
    search_fields = ["mode_slug"]


@admin.register(CourseAccessRole)
class CourseAccessRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "org", "course_key"]
    search_fields = ["user__username", "org"]
    raw_id_fields = ["user"]


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["usage_key", "block_type", "display_name", "position", "graded", "due"]
    search_fields = ["display_name"]
    raw_id_fields = ["course", "parent"]

    def get_readonly_fields(self, request, obj=None):
        """A block keeps its course and key: the key names the course, and moving it would leave two outlines."""
        return ["course", "usage_key"] if obj is not None else []


@admin.register(SubsectionPrerequisite)
class SubsectionPrerequisiteAdmin(admin.ModelAdmin):
    list_display = ["gated_usage_key", "prereq_usage_key", "min_score", "min_completion"]

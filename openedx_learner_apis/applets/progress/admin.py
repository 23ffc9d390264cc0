"""Django admin for the progress applet."""

from django.contrib import admin

from .models import BlockCompletion, Bookmark, CoursewarePosition, PersistentCourseGrade, PersistentSubsectionGrade


@admin.register(BlockCompletion)
class BlockCompletionAdmin(admin.ModelAdmin):
    list_display = ["user", "block_key", "completion", "modified"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(CoursewarePosition)
class CoursewarePositionAdmin(admin.ModelAdmin):
    list_display = ["user", "block_key", "position", "modified"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(PersistentCourseGrade)
class PersistentCourseGradeAdmin(admin.ModelAdmin):
    list_display = ["user", "course_key", "percent_grade", "passed_timestamp"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(PersistentSubsectionGrade)
class PersistentSubsectionGradeAdmin(admin.ModelAdmin):
    list_display = ["user", "usage_key", "earned", "possible"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["user", "usage_key", "created"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]

"""Django admin for the progress applet."""

from ...core.admin_rows import register_learner_rows
from .models import BlockCompletion, Bookmark, CoursewarePosition, PersistentCourseGrade, PersistentSubsectionGrade

register_learner_rows({
    BlockCompletion: ["user", "block_key", "completion", "modified"],
    CoursewarePosition: ["user", "block_key", "position", "modified"],
    PersistentCourseGrade: ["user", "course_key", "percent_grade", "passed_timestamp"],
    PersistentSubsectionGrade: ["user", "usage_key", "earned", "possible"],
    Bookmark: ["user", "usage_key", "created"],
})

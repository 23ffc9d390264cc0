"""Public functions of the progress applet: completions, grades, positions, bookmarks."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ...core.keys import as_course_key, as_usage_key
from ...core.users import as_user
from .models import BlockCompletion, Bookmark, CoursewarePosition, PersistentCourseGrade, PersistentSubsectionGrade

__all__ = ["record_completion", "set_course_grade", "set_subsection_grade", "set_position", "add_bookmark"]


def record_completion(user, block_key, completion: float = 1.0) -> BlockCompletion:
    """Record how complete ``user`` is on a block (0.0 to 1.0)."""
    user = as_user(user)
    block_key = as_usage_key(block_key)
    if not 0.0 <= float(completion) <= 1.0:
        raise ValueError("completion must be between 0.0 and 1.0.")
    course_key = block_key.course_key
    with transaction.atomic():
        record, _ = BlockCompletion.objects.update_or_create(
            user=user, course_key=course_key, block_key=block_key,
            defaults={"block_type": block_key.block_type, "completion": float(completion)})
    return record


def set_course_grade(user, course_key, percent: float, passed: bool, *,
                     letter_grade: str = "") -> PersistentCourseGrade:
    """Store a course grade; the pass time is kept from the first time it passed."""
    user = as_user(user)
    course_key = as_course_key(course_key)
    if not 0.0 <= float(percent) <= 1.0:
        raise ValueError("percent must be between 0.0 and 1.0.")
    with transaction.atomic():
        grade = PersistentCourseGrade.objects.select_for_update().filter(user=user, course_key=course_key).first()
        grade = grade or PersistentCourseGrade(user=user, course_key=course_key)
        grade.percent_grade = float(percent)
        grade.letter_grade = letter_grade or ("Pass" if passed else "")
        grade.passed_timestamp = (grade.passed_timestamp or timezone.now()) if passed else None
        grade.save()
    return grade


def set_subsection_grade(user, usage_key, *, earned: float, possible: float) -> PersistentSubsectionGrade:
    user = as_user(user)
    usage_key = as_usage_key(usage_key)
    grade, _ = PersistentSubsectionGrade.objects.update_or_create(
        user=user, usage_key=usage_key, defaults={"course_key": usage_key.course_key, "earned": earned,
                                                  "possible": possible})
    return grade


def set_position(user, block_key, position: int) -> CoursewarePosition:
    """Remember which child (1-based) of a course, chapter or sequence the learner last visited.

    The row is dated by the time of the write (no client date), like a PATCH without one.
    """
    user = as_user(user)
    block_key = as_usage_key(block_key)
    record, _ = CoursewarePosition.objects.update_or_create(
        user=user, block_key=block_key,
        defaults={"course_key": block_key.course_key, "position": int(position), "modification_date": None})
    return record


def add_bookmark(user, usage_key) -> Bookmark:
    user = as_user(user)
    usage_key = as_usage_key(usage_key)
    return Bookmark.objects.get_or_create(user=user, usage_key=usage_key,
                                          defaults={"course_key": usage_key.course_key})[0]

"""The learner's entrance exam score: earned over possible across the exam chapter's graded subsections."""

from __future__ import annotations

from ...applets.courses.outline import get_outline
from ...applets.progress.models import PersistentSubsectionGrade
from ...core.keys import spelled_exactly_in


def entrance_exam_chapter(course):
    """The chapter named by the course's ``entrance_exam_id`` (a usage key or a bare block id), or ``None``."""
    exam_id = course.entrance_exam_id
    return next((block for block in get_outline(course.course_key).of_type("chapter")
                 if str(block.usage_key) == exam_id or block.usage_key.block_id == exam_id), None)


def entrance_exam_score(user, course) -> float:
    """Earned over possible across the exam chapter's subsections (0.0 without a chapter or grades)."""
    chapter = entrance_exam_chapter(course)
    if chapter is None:
        return 0.0
    keys = [block.usage_key for block in chapter.descendants() if block.block_type == "sequential"]
    rows = (PersistentSubsectionGrade.objects.filter(spelled_exactly_in("usage_key", keys), user=user)
            .values_list("earned", "possible"))
    earned = sum(row[0] for row in rows)
    possible = sum(row[1] for row in rows)
    return earned / possible if possible else 0.0

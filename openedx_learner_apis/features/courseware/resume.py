"""Where a learner left off in a course: their latest completion, with its unit and subsection.

The latest completion is the progress applet's read (:func:`last_completed_block`), shared
with the mobile course status; this module only places it in the outline.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ...applets.courses.outline import get_outline
from ...applets.progress.course_status import last_completed_block
from .access import enrollment_of, load_course, require_visible
from .viewer import CoursewareUser

NO_RESUME_POINT = {"block_id": None, "section_id": None, "unit_id": None}


def resume_block_path(outline, block_key) -> list | None:
    """``[course, chapter, subsection, unit, ...block]`` for a completed block, or ``None``.

    ``None`` when the block left the outline, sits above unit level, or hangs under no course
    (an orphan): the learner is then sent to the first unit instead.
    """
    block = outline.get(block_key) if block_key is not None else None
    if block is None:
        return None
    path = [*reversed(block.ancestors()), block]
    if len(path) < 4 or path[0].block_type != "course":
        return None
    return path


def resume_point(user, course_key) -> dict:
    """``{block_id, section_id, unit_id}`` of the latest completion; nulls when there is none to resume."""
    path = resume_block_path(get_outline(course_key), last_completed_block(user, course_key))
    if path is None:
        return dict(NO_RESUME_POINT)
    return {"block_id": str(path[-1].usage_key), "section_id": str(path[2].usage_key),
            "unit_id": str(path[3].usage_key)}


def resume_for(course_key, resolve_viewer: Callable[[object], CoursewareUser], *, now: datetime) -> dict:
    """The resume point of the user ``resolve_viewer(course_key)`` shows.

    Refuses with :class:`.CourseUnavailable` when there is no such course (before the viewer
    is resolved) or the requester may not see it.
    """
    course = load_course(course_key)
    viewer = resolve_viewer(course.course_key)
    require_visible(course, viewer, enrollment_of(viewer.user, course), now=now)
    return resume_point(viewer.user, course.course_key)

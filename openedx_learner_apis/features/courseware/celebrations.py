"""What a celebration POST decides: which flags of the learner's enrollment to store, and the answer's kind.

Staff viewing the course as someone else change nothing and are told what that learner's
flags are (accepted, not written). A ``None`` flag leaves the stored one alone; a body with
nothing to change writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...applets.engagement.celebrations import celebration_fields, enrollment_celebration, update_enrollment_celebration
from .access import enrollment_in
from .errors import NotEnrolled
from .viewer import CoursewareUser

UPDATED, CREATED, NOT_WRITTEN = "updated", "created", "not_written"


@dataclass(frozen=True)
class CelebrationOutcome:
    """The celebration flags after the POST and what happened: ``updated``, ``created`` or ``not_written``."""

    fields: dict
    outcome: str


def celebrate(viewer: CoursewareUser, course_key, *, first_section: bool | None = None,
              weekly_goal: bool | None = None) -> CelebrationOutcome:
    """Store the given flags of ``viewer.user``'s enrollment; :class:`NotEnrolled` without one."""
    enrollment = enrollment_in(viewer.user, course_key)
    if enrollment is None:
        raise NotEnrolled(f"No enrollment in {course_key}.")
    updates = {name: value for name, value in (("first_section", first_section), ("weekly_goal", weekly_goal))
               if value is not None}
    if not updates:
        return CelebrationOutcome(celebration_fields(enrollment_celebration(enrollment)), UPDATED)
    row, created = update_enrollment_celebration(viewer.user, enrollment, **updates)
    return CelebrationOutcome(celebration_fields(row), CREATED if created else UPDATED)


def celebration_seen_as(viewer: CoursewareUser, course_key) -> CelebrationOutcome:
    """The flags of the learner staff view as, unchanged (``not_written``); all false without an enrollment."""
    enrollment = enrollment_in(viewer.user, course_key)
    return CelebrationOutcome(celebration_fields(enrollment and enrollment_celebration(enrollment)), NOT_WRITTEN)

"""The course and enrollment rows a courseware use case starts from, and who may see the course.

A course is found only under the exact spelling of its key (another letter case names no
course); a course the requester may not see is answered exactly like a missing one.
"""

from __future__ import annotations

from datetime import datetime

from ...applets.courses.api import find_course
from ...applets.courses.visibility import can_see_course
from ...applets.enrollments.models import Enrollment
from ...core.keys import spelled_as
from .errors import CourseUnavailable
from .viewer import CoursewareUser


def load_course(course_key):
    """The course spelled exactly ``course_key``, its modes prefetched; :class:`CourseUnavailable` if none."""
    course = find_course(course_key, with_modes=True)
    if course is None:
        raise CourseUnavailable(f"No course {course_key}.")
    return course


def enrollment_of(user, course) -> Enrollment | None:
    """``user``'s enrollment row whatever ``is_active``, with its celebration row; ``None`` when anonymous."""
    if not (user and user.is_authenticated):
        return None
    return Enrollment.objects.select_related("celebration").filter(user=user, course=course).first()


def enrollment_in(user, course_key) -> Enrollment | None:
    """``user``'s enrollment in the course spelled exactly ``course_key``, with its course and celebration."""
    enrollment = (Enrollment.objects.select_related("course", "celebration")
                  .filter(user=user, course__course_key=course_key).first())
    return enrollment if enrollment is not None and spelled_as(enrollment.course.course_key, course_key) else None


def require_visible(course, viewer: CoursewareUser, enrollment, *, now: datetime) -> None:
    """Refuse with :class:`CourseUnavailable` when the real requester may not see the course.

    Visibility is the requester's own (their enrollment as shown, their course-staff rights),
    so a masquerade never opens a course its staff user could not see.
    """
    if not can_see_course(viewer.real_user, course, enrollment=enrollment, is_staff=viewer.real_is_staff, now=now):
        raise CourseUnavailable(f"No course {course.course_key}.")

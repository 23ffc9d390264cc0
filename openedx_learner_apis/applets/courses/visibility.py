"""Who may see, enroll in and load a course and its blocks (docs/courseware.rst, access matrix).

Pure rules over already loaded rows: callers pass the enrollment and whether the user is
course staff, so a request costs no query here.
"""

from __future__ import annotations

from datetime import datetime

PUBLIC_VISIBILITIES = frozenset({"public", "public_outline"})


def is_enrollment_open(course, now: datetime) -> bool:
    return ((course.enrollment_start is None or course.enrollment_start <= now)
            and (course.enrollment_end is None or now < course.enrollment_end))


def is_public(course) -> bool:
    return course.course_visibility in PUBLIC_VISIBILITIES


def is_course_full(course, active_enrollments: int) -> bool:
    limit = course.max_student_enrollments_allowed
    return limit is not None and active_enrollments >= limit


def is_invitation_only(course, *, invite_only_setting: bool) -> bool:
    """The site-wide setting, the course's own flag, or an old-style (``org/course/run``) key."""
    return bool(invite_only_setting or course.invitation_only or course.course_key.deprecated)


def can_see_course(user, course, *, enrollment, is_staff: bool, now: datetime) -> bool:
    """Whether the course exists for ``user`` (``see_exists``): staff, enrolled, public or open for enrollment.

    A course shown to staff only is hidden from everyone else.
    """
    if is_staff:
        return True
    if course.visible_to_staff_only:
        return False
    return enrollment is not None or is_public(course) or is_enrollment_open(course, now)


def can_enroll(user, course, *, is_staff: bool, invitation_only: bool, is_full: bool, now: datetime) -> bool:
    """Whether ``user`` may enroll now: signed in, and staff or (window open, not by invitation, not full)."""
    if user is None or not user.is_authenticated:
        return False
    if is_staff:
        return True
    return is_enrollment_open(course, now) and not invitation_only and not is_full


def has_course_access(user, course, *, enrollment, is_staff: bool, anonymous_access: bool) -> bool:
    """Whether ``user`` may read the course's content at all (before block-level rules).

    Staff, an active enrollment, or a public course when anonymous courseware access is on.
    """
    if is_staff:
        return True
    if enrollment is not None and enrollment.is_active:
        return True
    return anonymous_access and is_public(course)


def is_course_started(course, now: datetime) -> bool:
    return course.start is None or course.start <= now


def can_load_block(block, course, *, is_staff: bool, has_access: bool, now: datetime) -> bool:
    """Block ``load`` access: staff always; others need course access, a started course, and the
    block and its ancestors released (start passed) and not for staff only."""
    if is_staff:
        return True
    if not has_access or not is_course_started(course, now):
        return False
    for node in (block, *block.ancestors()):
        if node.visible_to_staff_only or (node.start is not None and node.start > now):
            return False
    return True

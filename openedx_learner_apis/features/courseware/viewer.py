"""Whose data a courseware use case shows: the requester, or the learner staff are viewing as.

The REST layer reads the session masquerade and the ``?username=`` parameter; the decision of
who is shown and with which course-staff rights is taken here (see ``docs/courseware.rst``,
"Masquerade").
"""

from __future__ import annotations

from dataclasses import dataclass

from ...applets.courses.roles import course_roles, is_course_staff
from ...applets.enrollments.models import Enrollment
from .errors import NoSuchLearner, NotAllowedToViewOther


@dataclass(frozen=True)
class Masquerade:
    """How the real user is viewing the course: as a role, as a specific learner, as a paid track."""

    active: bool = False
    specific_learner: bool = False
    non_audit_track: bool = False


@dataclass(frozen=True)
class CoursewareUser:
    """The requester, the user whose data is shown, and their course-staff status."""

    real_user: object
    user: object
    real_is_staff: bool
    is_staff: bool
    roles: frozenset
    masquerade: Masquerade

    @property
    def is_viewing_other(self) -> bool:
        return self.user is not self.real_user


@dataclass(frozen=True)
class SessionMasquerade:
    """A course's "view as" choice as stored in the session (role, enrollment track, learner name)."""

    role: str | None = None
    non_audit_track: bool = False
    user_name: str | None = None


def staff_status(user, course_key) -> tuple[frozenset, bool]:
    """``(course roles, is course staff)`` of ``user`` in one course; anonymous users have neither."""
    if not (user and user.is_authenticated):
        return frozenset(), False
    roles = frozenset(course_roles(user, [course_key])[course_key])
    return roles, is_course_staff(user, course_key, set(roles))


def enrolled_learner(course_key, username: str):
    """The user named ``username`` when enrolled (active or not) in the course, else ``None``."""
    enrollment = (Enrollment.objects.select_related("user")
                  .filter(course__course_key=course_key, user__username=username).first())
    return enrollment.user if enrollment is not None else None


def viewing_named_user(real_user, course_key, username: str, *, find_user, real_is_staff: bool) -> CoursewareUser:
    """``?username=`` naming someone else: global staff see that learner's data, anyone else is refused.

    Viewing a named learner is a masquerade as that learner, so nothing is written for them.
    """
    if not (real_user and real_user.is_authenticated and real_user.is_staff):
        raise NotAllowedToViewOther("Only staff may view the courseware data of another user.")
    target = find_user(username)
    if target is None:
        raise NoSuchLearner(f"No user {username!r}.")
    return viewing(real_user, target, course_key, real_is_staff, Masquerade(active=True, specific_learner=True))


def with_session_masquerade(real_user, course_key, masquerade: SessionMasquerade | None, learner, *,
                            real_is_staff: bool, real_roles: frozenset) -> CoursewareUser:
    """The viewer under a session masquerade: as ``learner`` when it names one, else as a role or track."""
    if learner is not None:
        return viewing(real_user, learner, course_key, real_is_staff,
                       Masquerade(active=True, specific_learner=True, non_audit_track=masquerade.non_audit_track))
    if masquerade is not None:
        as_staff = masquerade.role == "staff"
        return CoursewareUser(real_user, real_user, real_is_staff, real_is_staff and as_staff, real_roles,
                              Masquerade(active=True, non_audit_track=masquerade.non_audit_track))
    return CoursewareUser(real_user, real_user, real_is_staff, real_is_staff, real_roles, Masquerade())


def viewing(real_user, learner, course_key, real_is_staff: bool, masquerade: Masquerade) -> CoursewareUser:
    """The learner's own roles decide what they see (a staff learner keeps staff views)."""
    roles, is_staff = staff_status(learner, course_key)
    return CoursewareUser(real_user, learner, real_is_staff, is_staff, roles, masquerade)

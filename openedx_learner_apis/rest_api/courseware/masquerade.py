"""Whose data a courseware request shows: the requester, or the learner staff are viewing as.

Two sources (courseware spec §3, DESIGN §6.10): the Open edX session masquerade
(``request.session["masquerade_settings"]``, set by the LMS "view as" control; this app
only reads it) and, on the GET endpoints, ``?username=`` for global staff.
"""

from __future__ import annotations

from dataclasses import dataclass

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey
from rest_framework.exceptions import NotFound, PermissionDenied

from ...applets.courses.course_info import Masquerade
from ...applets.courses.roles import course_roles, is_course_staff
from ...applets.enrollments.models import Enrollment
from ...conf import learner_apis_settings
from ..common.users import find_user, is_same_username

MASQUERADE_SETTINGS_KEY = "masquerade_settings"
MASQUERADE_DATA_KEY = "masquerade_data"
ENROLLMENT_TRACK_PARTITION_ID = 50


@dataclass(frozen=True)
class CourseMasquerade:
    """One course's entry of the session masquerade."""

    role: str | None = None
    user_partition_id: int | None = None
    group_id: int | None = None
    user_name: str | None = None

    @classmethod
    def from_session_value(cls, value) -> CourseMasquerade:
        """Read an LMS ``CourseMasquerade`` object or a plain dict with the same keys."""
        get = value.get if isinstance(value, dict) else (lambda name: getattr(value, name, None))
        return cls(role=get("role"), user_partition_id=get("user_partition_id"), group_id=get("group_id"),
                   user_name=get("user_name") or None)

    @property
    def is_non_audit_track(self) -> bool:
        """Viewing as an enrollment track (partition 50) other than audit."""
        audit_id = learner_apis_settings.COURSE_ENROLLMENT_MODES.get("audit", {}).get("id", 1)
        return (self.user_partition_id == ENROLLMENT_TRACK_PARTITION_ID and self.group_id is not None
                and self.group_id != audit_id)


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


def _session_entry(session, course_key) -> tuple[dict | None, object | None]:
    """The session's masquerade mapping and the key under which ``course_key`` sits in it."""
    settings = session.get(MASQUERADE_SETTINGS_KEY) if session is not None else None
    if not settings:
        return None, None
    for key in settings:
        try:
            parsed = key if isinstance(key, CourseKey) else CourseKey.from_string(str(key))
        except InvalidKeyError:
            continue
        if parsed == course_key:
            return settings, key
    return settings, None


def session_masquerade(request, course_key, *, real_is_staff: bool, reset: bool = False):
    """The course's session masquerade and the learner it names (enrolled in the course), if any.

    A masquerade naming a learner who is not enrolled is dropped from the session, as the LMS does.
    """
    session = getattr(request, "session", None)
    if not real_is_staff or not learner_apis_settings.ENABLE_MASQUERADE or session is None:
        return None, None
    if reset and MASQUERADE_DATA_KEY in session:
        del session[MASQUERADE_DATA_KEY]
    settings, key = _session_entry(session, course_key)
    if key is None:
        return None, None
    masquerade = CourseMasquerade.from_session_value(settings[key])
    if not masquerade.user_name:
        return masquerade, None
    enrollment = (Enrollment.objects.select_related("user")
                  .filter(course__course_key=course_key, user__username=masquerade.user_name).first())
    if enrollment is None:
        del settings[key]
        session[MASQUERADE_SETTINGS_KEY] = settings
        return None, None
    return masquerade, enrollment.user


def resolve_courseware_user(request, course_key, *, username: str | None = None, reset: bool = False,
                            session: bool = True) -> CoursewareUser:
    """Work out whose data to show; ``username`` is the ``?username=`` parameter (``None`` when absent).

    A non-staff requester naming someone else gets 403; global staff naming an unknown user
    get 404, naming a learner get that learner's data (like a masquerade: nothing is written).
    Otherwise the session masquerade of course staff applies, unless ``session`` is false.
    """
    real_user = request.user
    authenticated = bool(real_user and real_user.is_authenticated)
    real_roles = frozenset(course_roles(real_user, [course_key])[course_key]) if authenticated else frozenset()
    real_is_staff = is_course_staff(real_user, course_key, set(real_roles)) if authenticated else False
    if username and not is_same_username(real_user, username):
        if not (authenticated and real_user.is_staff):
            raise PermissionDenied("Only staff may view the courseware data of another user.")
        target = find_user(username)
        if target is None:
            raise NotFound(f"No user {username!r}.")
        return _viewing(real_user, target, course_key, real_is_staff, Masquerade(active=True, specific_learner=True))
    masquerade, learner = (session_masquerade(request, course_key, real_is_staff=real_is_staff, reset=reset)
                           if session else (None, None))
    if learner is not None:
        return _viewing(real_user, learner, course_key, real_is_staff,
                        Masquerade(active=True, specific_learner=True, non_audit_track=masquerade.is_non_audit_track))
    if masquerade is not None:
        as_staff = masquerade.role == "staff"
        return CoursewareUser(real_user, real_user, real_is_staff, real_is_staff and as_staff, real_roles,
                              Masquerade(active=True, non_audit_track=masquerade.is_non_audit_track))
    return CoursewareUser(real_user, real_user, real_is_staff, real_is_staff, real_roles, Masquerade())


def _viewing(real_user, learner, course_key, real_is_staff: bool, masquerade: Masquerade) -> CoursewareUser:
    """The learner's own roles decide what they see (a staff learner keeps staff views)."""
    roles = frozenset(course_roles(learner, [course_key])[course_key])
    return CoursewareUser(real_user, learner, real_is_staff, is_course_staff(learner, course_key, set(roles)),
                          roles, masquerade)

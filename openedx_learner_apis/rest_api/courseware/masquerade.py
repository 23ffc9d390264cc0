"""Reads who a courseware request is for: the session's "view as" entry and the ``?username=`` parameter.

The Open edX session masquerade (``request.session["masquerade_settings"]``, set by the LMS
"view as" control) is only read here, never created; the decision is
:mod:`openedx_learner_apis.features.courseware.viewer`'s (``docs/courseware.rst``, "Masquerade").
"""

from __future__ import annotations

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from ...conf import learner_apis_settings
from ...core.users import find_user, is_same_username
from ...features.courseware.viewer import (
    CoursewareUser,
    SessionMasquerade,
    enrolled_learner,
    staff_status,
    viewing_named_user,
    with_session_masquerade,
)

MASQUERADE_SETTINGS_KEY = "masquerade_settings"
MASQUERADE_DATA_KEY = "masquerade_data"
ENROLLMENT_TRACK_PARTITION_ID = 50


def masquerade_from_session_value(value) -> SessionMasquerade:
    """Read an LMS ``CourseMasquerade`` object or a plain dict with the same keys.

    Viewing as an enrollment track (partition 50) other than audit counts as a paid track.
    """
    get = value.get if isinstance(value, dict) else (lambda name: getattr(value, name, None))
    audit_id = learner_apis_settings.COURSE_ENROLLMENT_MODES.get("audit", {}).get("id", 1)
    group_id = get("group_id")
    non_audit = (get("user_partition_id") == ENROLLMENT_TRACK_PARTITION_ID and group_id is not None
                 and group_id != audit_id)
    return SessionMasquerade(role=get("role"), non_audit_track=non_audit, user_name=get("user_name") or None)


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
    masquerade = masquerade_from_session_value(settings[key])
    if not masquerade.user_name:
        return masquerade, None
    learner = enrolled_learner(course_key, masquerade.user_name)
    if learner is None:
        del settings[key]
        session[MASQUERADE_SETTINGS_KEY] = settings
        return None, None
    return masquerade, learner


def resolve_courseware_user(request, course_key, *, username: str | None = None, reset: bool = False,
                            session: bool = True) -> CoursewareUser:
    """Work out whose data to show; ``username`` is the ``?username=`` parameter (``None`` when absent).

    A non-staff requester naming someone else is refused; global staff naming an unknown user
    get not found, naming a learner get that learner's data (like a masquerade: nothing is
    written). Otherwise the session masquerade of course staff applies, unless ``session`` is false.
    """
    real_user = request.user
    real_roles, real_is_staff = staff_status(real_user, course_key)
    if username and not is_same_username(real_user, username):
        return viewing_named_user(real_user, course_key, username, find_user=find_user, real_is_staff=real_is_staff)
    masquerade, learner = (session_masquerade(request, course_key, real_is_staff=real_is_staff, reset=reset)
                           if session else (None, None))
    return with_session_masquerade(real_user, course_key, masquerade, learner, real_is_staff=real_is_staff,
                                   real_roles=real_roles)

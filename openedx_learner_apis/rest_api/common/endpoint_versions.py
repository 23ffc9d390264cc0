"""What each cached endpoint's answer reads, as a :class:`~.conditional.Version` (``docs/http_caching.rst``).

Every function runs after authentication and permissions, before the answer is built, and
costs no query when the URL names the requester (another user is looked up once, as the view
does). It returns ``None`` when the answer must be built every time: staff viewing as
someone else (the session masquerade, ``?username=`` naming another user), or a URL the view
refuses anyway. The requester's learner token, the URL and the shared data always count (see
:mod:`.conditional`); a function adds the other learners, the course populations, the
waffle toggles and the clock boundaries of its answer.
"""

from __future__ import annotations

from functools import cache

from ... import toggles
from ...core.keys import InvalidKey, parse_course_key, parse_usage_key
from ...core.users import find_user
from ...features.response_versions.boundaries import (
    access_ends,
    course_dates,
    earliest,
    local_midnights,
    new_year,
    recent_activity_ends,
)
from .conditional import Version

MASQUERADE_KEYS = ("masquerade_settings", "masquerade_data")


@cache
def _all_toggles() -> tuple:
    """Every waffle flag and switch the app declares, for a version's ``toggles`` (the same in every request).

    A flag may target users, groups or a percentage of requests, so it is evaluated (for crum's
    current request, which the family views set), not read
    (:mod:`openedx_learner_apis.features.response_versions.toggle_reads`).
    """
    return tuple(toggle for _, toggle in sorted(vars(toggles).items())
                 if isinstance(toggle, (toggles.WaffleFlag, toggles.WaffleSwitch)))


def _views_as_someone_else(request) -> bool:
    username = request.query_params.get("username")
    if username and username.lower() != getattr(request.user, "username", "").lower():
        return True
    session = getattr(request, "session", None)
    return bool(request.user.is_authenticated and session is not None
                and any(session.get(key) for key in MASQUERADE_KEYS))


def _course_key(value: str):
    try:
        return parse_course_key(value)
    except InvalidKey:
        return None


def _usage_course_key(value: str):
    """The course of the usage key ``value``, ``None`` when it does not parse."""
    try:
        return parse_usage_key(value).course_key
    except InvalidKey:
        return None


def _enrolled_course_keys(user) -> list:
    return list(user.learner_enrollments.values_list("course__course_key", flat=True))


def courseware_course(view, request, course_key_string, **kwargs) -> Version | None:
    """Course info: the course, its population (``is_course_full``), the toggles, the learner's local day."""
    course_key = _course_key(course_key_string)
    if course_key is None or _views_as_someone_else(request):
        return None
    user, zone = request.user, request.query_params.get("browser_timezone")
    return Version(populations=(course_key,), toggles=_all_toggles(), until=lambda now: earliest(now, [
        *course_dates([course_key], now), *access_ends(user, now, [course_key]), *local_midnights(user, now, zone)]))


def courseware_sequence(view, request, usage_key_string, **kwargs) -> Version | None:
    """Sequence metadata: the course and its blocks' dates, the anonymous-access flag (its only toggle)."""
    course_key = _usage_course_key(usage_key_string)
    if course_key is None or _views_as_someone_else(request):
        return None
    user = request.user
    return Version(toggles=(toggles.ENABLE_ANONYMOUS_COURSEWARE_ACCESS,),
                   until=lambda now: earliest(now, [*course_dates([course_key], now, blocks=True),
                                                    *access_ends(user, now, [course_key])]))


def courseware_resume(view, request, course_key_string, **kwargs) -> Version | None:
    """Resume: the course's blocks and the learner's completions (no session masquerade applies)."""
    course_key = _course_key(course_key_string)
    username = request.query_params.get("username")
    if course_key is None or (username and username.lower() != request.user.username.lower()):
        return None
    user = request.user
    return Version(uses_hooks=False, until=lambda now: earliest(now, [
        *course_dates([course_key], now, blocks=True), *access_ends(user, now, [course_key])]))


def mobile_enrollments(view, request, api_version, **kwargs) -> Version:
    """The enrollment lists of every version: every enrolled course's dates (blocks too for progress)."""
    user = request.user
    blocks = "course_progress" in request.query_params.get("requested_fields", "")
    return Version(until=lambda now: earliest(now, [
        *course_dates(_enrolled_course_keys(user), now, blocks=blocks), *access_ends(user, now)]))


def mobile_enrollments_status(view, request, **kwargs) -> Version:
    """Enrollments status: also the moments enrollments and completions stop being recent."""
    user = request.user
    return Version(uses_hooks=False, until=lambda now: earliest(now, [
        *course_dates(_enrolled_course_keys(user), now), *access_ends(user, now),
        *recent_activity_ends(user, now)]))


def mobile_course_status(view, request, course_key_string, **kwargs) -> Version | None:
    """Course status: the course's blocks (their start dates) and the learner's positions."""
    course_key = _course_key(course_key_string)
    if course_key is None:
        return None
    user = request.user
    return Version(until=lambda now: earliest(now, [
        *course_dates([course_key], now, blocks=True), *access_ends(user, now, [course_key])]))


def certificates(view, request, **kwargs) -> Version | None:
    """Certificates (list and detail): the owner's rows and the dates of their courses."""
    owner = view.owner
    if owner is None:
        return None
    return Version(learners=(owner.pk,), until=lambda now: earliest(now, course_dates(
        owner.learner_certificates.values_list("course_key", flat=True), now)))


def badges(view, request, **kwargs) -> Version | None:
    """Badges: the owner's assertions and the badge classes; nothing depends on the clock."""
    owner = view.owner
    if owner is None:
        return None
    return Version(learners=(owner.pk,), uses_hooks=False)


def account(view, request, username, **kwargs) -> Version | None:
    """The account read: the owner's user row, profile and preferences; years for the parental consent rule."""
    owner = request.user if request.user.username == username else find_user(username)
    if owner is None:
        return None
    return Version(learners=(owner.pk,), uses_hooks=False, until=lambda now: earliest(now, new_year(now)))

"""Audit access expiry: how long an audit learner keeps access to a course (course duration limits).

An audit learner in a course that also sells a verified certificate may keep access for
the course's expected duration (4 to 18 weeks) once ``CourseDurationLimitConfig`` turns the
limit on for their enrollment. Everything here is batch friendly: pass prefetched modes,
roles and a loaded :class:`DurationLimitConfigs` so that a list of courses costs no query
per course; the configuration rows come from config_models' cache (no query when warm).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import prefetch_related_objects
from django.utils import timezone

from ...core.config_rows import current_rows
from ..courses.roles import course_roles, is_beta_tester, is_course_staff
from .models import CourseDurationLimitConfig

__all__ = [
    "MIN_DURATION", "MAX_DURATION", "DurationLimitConfigs", "expected_duration", "get_access_expiration",
    "get_access_expirations", "is_access_expired",
]

MIN_DURATION = timedelta(weeks=4)
MAX_DURATION = timedelta(weeks=18)
AUDIT = "audit"
VERIFIED = "verified"


@dataclass(frozen=True)
class _Scope:
    enabled: bool
    enabled_as_of: datetime | None


class DurationLimitConfigs:
    """The ``CourseDurationLimitConfig`` rows, resolved per course in memory.

    Scopes stack like Open edX's stacked configuration: the most specific scope holding a row
    (course, then org, then global) decides ``enabled``; ``enabled_as_of`` comes from the most
    specific row that sets it. Within a scope the latest row counts.
    """

    def __init__(self, rows: Iterable[tuple]):
        """``rows`` are ``(enabled, enabled_as_of, org, course_key)``, oldest first; either key may be ``""``."""
        self._global: _Scope | None = None
        self._orgs: dict[str, _Scope] = {}
        self._courses: dict[str, _Scope] = {}
        for enabled, as_of, org, course_key in rows:
            scope = _Scope(enabled, as_of)
            if course_key:
                self._courses[course_key] = scope
            elif org:
                self._orgs[org] = scope
            else:
                self._global = scope

    @classmethod
    def load(cls, course_keys: Iterable | None = None, *, shared_token: str | None = None) -> DurationLimitConfigs:
        """The current row of each scope (of ``course_keys``' scopes when given), resolved in memory.

        Served from config_models' cache: no query when warm, one when cold, whatever the number
        of courses; with ``shared_token``, from this process's memo (``core.config_rows.current_rows``).
        """
        wanted = None
        if course_keys is not None:
            keys = list(course_keys)
            courses, orgs = {str(key) for key in keys}, {key.org for key in keys}

            def wanted(scope: tuple) -> bool:
                org, course_key = scope
                return str(course_key) in courses if course_key else (not org or org in orgs)

        rows = sorted(current_rows(CourseDurationLimitConfig, wanted, shared_token=shared_token).values(),
                      key=lambda row: (row.change_date, row.pk))
        return cls((row.enabled, row.enabled_as_of, row.org or "", str(row.course_key) if row.course_key else "")
                   for row in rows)

    def enabled_as_of(self, course_key) -> datetime | None:
        """When limits start to apply in this course, or ``None`` if they are off."""
        scopes = [self._courses.get(str(course_key)), self._orgs.get(course_key.org), self._global]
        scopes = [scope for scope in scopes if scope is not None]
        if not scopes or not scopes[0].enabled:
            return None
        return next((scope.enabled_as_of for scope in scopes if scope.enabled_as_of is not None), None)

    def enabled_for(self, course_key, when: datetime) -> bool:
        start = self.enabled_as_of(course_key)
        return start is not None and start <= when


def expected_duration(course) -> timedelta:
    """The course's expected length (``expected_duration_weeks``), clamped to 4..18 weeks, 4 by default."""
    weeks = getattr(course, "expected_duration_weeks", None)
    if not weeks:
        return MIN_DURATION
    return max(MIN_DURATION, min(MAX_DURATION, timedelta(weeks=weeks)))


def _mode_slugs(course, modes) -> set[str]:
    if modes is None:
        modes = course.modes.all()  # served from a prefetch when the caller made one
    return {mode if isinstance(mode, str) else mode.mode_slug for mode in modes}


def get_access_expiration(user, enrollment, course, *, modes=None, now=None, roles=None,
                          config: DurationLimitConfigs | None = None) -> datetime | None:
    """When ``user``'s audit access to ``course`` ends, or ``None`` when it never does.

    ``enrollment`` may be ``None`` (the learner is treated as enrolling ``now``). Limits apply
    only to an audit enrollment in a course offering both audit and verified modes (expired
    modes count), once the configuration is enabled as of the enrollment's creation. Global
    staff, course or org staff and instructors, and beta testers never expire.

    For lists, pass ``modes`` (the course's modes or their slugs), ``roles`` (the user's role
    names in the course, from ``course_roles``) and ``config`` (a loaded
    :class:`DurationLimitConfigs`): the call then runs no query.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if enrollment is not None and enrollment.mode != AUDIT:
        return None
    slugs = _mode_slugs(course, modes)
    if AUDIT not in slugs or VERIFIED not in slugs:
        return None
    now = now or timezone.now()
    enrolled_at = enrollment.created if enrollment is not None else now
    config = config if config is not None else DurationLimitConfigs.load([course.course_key])
    if not config.enabled_for(course.course_key, enrolled_at):
        return None
    if user.is_staff:
        return None
    if roles is None:
        roles = course_roles(user, [course.course_key])[course.course_key]
    if is_course_staff(user, course.course_key, roles) or is_beta_tester(user, course.course_key, roles):
        return None
    start = max(enrolled_at, course.start) if course.start else enrolled_at
    return start + expected_duration(course)


def get_access_expirations(user, enrollments, *, now=None) -> dict:
    """``{course_key: expiration or None}`` for enrollments, in at most four queries whatever their number."""
    enrollments = list(enrollments)
    if not enrollments:
        return {}
    prefetch_related_objects(enrollments, "course__modes")
    keys = [enrollment.course.course_key for enrollment in enrollments]
    config = DurationLimitConfigs.load(keys)
    roles = course_roles(user, keys)
    return {
        enrollment.course.course_key: get_access_expiration(
            user, enrollment, enrollment.course, now=now, config=config,
            roles=roles[enrollment.course.course_key])
        for enrollment in enrollments
    }


def is_access_expired(expiration: datetime | None, now: datetime | None = None) -> bool:
    return expiration is not None and expiration < (now or timezone.now())

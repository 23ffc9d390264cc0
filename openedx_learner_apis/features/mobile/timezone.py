"""Mobile time zone: the ``user_timezone`` the apps show, with its fallbacks."""

from __future__ import annotations

from ...applets.engagement.models import LastSeenCoursewareTimezone
from ...applets.engagement.timezones import first_zone
from ...applets.learners.models import UserPreference
from ...applets.learners.preferences import TIME_ZONE as TIME_ZONE_PREFERENCE
from ...core.plain_sql import Select, union_all_rows

__all__ = ["timezone_reads", "user_timezone", "zone_from_rows"]

# Both sources are one row at most (unique per user, and per user and key), read in one round trip.
PREFERENCE, LAST_SEEN = 0, 1
PREFERENCE_ROW = Select(UserPreference, ("value",), ("user", "key"), tag=PREFERENCE)
LAST_SEEN_ROW = Select(LastSeenCoursewareTimezone, ("last_seen_courseware_timezone",), ("user",), tag=LAST_SEEN)


def _printable(value) -> str:
    return "".join(char for char in value if char.isprintable()) if isinstance(value, str) else ""


def timezone_reads(user) -> list[tuple[Select, tuple]]:
    """The two single-row reads of :func:`user_timezone`, as ``(Select, values)`` parts.

    A caller that already makes a round trip (``core.plain_sql.select_many``) reads them with
    its own and gives their rows to :func:`zone_from_rows`: one query fewer.
    """
    return [(PREFERENCE_ROW, (user.pk, TIME_ZONE_PREFERENCE)), (LAST_SEEN_ROW, (user.pk,))]


def zone_from_rows(preference_rows: list, last_seen_rows: list):
    """The zone of :func:`user_timezone` from the rows of its two reads (each one row at most)."""
    return first_zone(_printable(preference_rows[0][0] if preference_rows else None),
                      _printable(last_seen_rows[0][0] if last_seen_rows else None))


def user_timezone(user):
    """The learner's zone: the ``time_zone`` preference, else the zone last seen in the courseware, else UTC.

    Non-printable characters are dropped and an unknown name falls through to the next
    source, so the answer is always a valid zone (``str()`` gives its name).
    """
    # One query for both single-row sources, in plain SQL: the ORM spent ten times the
    # database's time building the equivalent subqueries (core.plain_sql).
    found = dict(union_all_rows(*timezone_reads(user)))
    return first_zone(_printable(found.get(PREFERENCE)), _printable(found.get(LAST_SEEN)))

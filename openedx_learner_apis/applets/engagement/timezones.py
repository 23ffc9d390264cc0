"""Local dates of learners: days are counted in the learner's time zone, never the server's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.cache import cache

from .models import LastSeenCoursewareTimezone


def to_zone(name) -> ZoneInfo | None:
    """The zone called ``name``, or ``None`` for an empty or unknown name (never an error)."""
    if not isinstance(name, str) or not name or len(name) > 255:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def first_zone(*names) -> ZoneInfo | dt_timezone:
    """The first valid zone among ``names``, else UTC."""
    for name in names:
        zone = to_zone(name)
        if zone is not None:
            return zone
    return dt_timezone.utc


def local_date(now: datetime, zone) -> date:
    return now.astimezone(zone).date()


def seconds_until_local_midnight(now: datetime, zone) -> int:
    """How long the learner's current day still lasts (at least one second)."""
    local = now.astimezone(zone)
    midnight = datetime.combine(local.date() + timedelta(days=1), time.min, tzinfo=zone)
    return max(1, int((midnight - local).total_seconds()))


def start_of_week(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def remember_courseware_timezone(user, name: str | None) -> bool:
    """Store the browser time zone ``user`` last used the courseware from; at most once a day.

    Invalid names are ignored. ``True`` when the database was written.
    """
    if not (user and user.is_authenticated) or to_zone(name) is None:
        return False
    cache_key = f"openedx_learner_apis:browser_timezone:{user.pk}"
    if cache.get(cache_key) is not None:
        return False
    cache.set(cache_key, name, 86400)
    LastSeenCoursewareTimezone.objects.update_or_create(user=user, defaults={"last_seen_courseware_timezone": name})
    return True

"""How a course's start shows: the placeholder start of a course never scheduled, and the start as displayed.

Open edX gives a new course a start far in the future (2030-01-01 UTC) until someone sets
one; that placeholder is "no start date" wherever a start is shown.
"""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

__all__ = ["DEFAULT_START_DATE", "has_real_start", "start_date_is_still_default", "start_display", "start_type"]

DEFAULT_START_DATE = datetime(2030, 1, 1, tzinfo=dt_timezone.utc)


def has_real_start(course) -> bool:
    """A start date was set: the far-future placeholder of a new course does not count."""
    return bool(course.start and course.start != DEFAULT_START_DATE)


def start_date_is_still_default(course) -> bool:
    """The course still has the placeholder start and advertises no other."""
    return course.start == DEFAULT_START_DATE and not course.advertised_start


def start_display(course) -> str | None:
    """The advertised start as written, else the start date as ``Jan 5, 2020``, else nothing."""
    if course.advertised_start:
        return course.advertised_start
    if has_real_start(course):
        return course.start.strftime("%b %d, %Y").replace(" 0", " ")
    return None


def start_type(course) -> str:
    """How :func:`start_display` was made: ``string``, ``timestamp`` or ``empty``."""
    if course.advertised_start:
        return "string"
    if has_real_start(course):
        return "timestamp"
    return "empty"

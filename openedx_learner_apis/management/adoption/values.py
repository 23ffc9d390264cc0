"""Turning what a database driver returns for an LMS column into the value this app stores.

Drivers differ: MySQL gives booleans as ``0``/``1`` and naive datetimes, SQLite gives naive
datetimes (or text), PostgreSQL aware ones. The LMS stores UTC, so a naive value is UTC.
"""

from __future__ import annotations

import datetime
import json
import uuid
from decimal import Decimal

from django.utils.dateparse import parse_date, parse_datetime
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey


class Unmappable(ValueError):
    """A row this app cannot store; the message is the reason the report gives."""


def aware(value) -> datetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            raise Unmappable(f"unparseable date {value!r}")
        value = parsed
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        value = datetime.datetime.combine(value, datetime.time())
    if value.tzinfo is None:
        return value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC)


def day(value) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, str):
        return parse_date(value)
    return value


def flag(value) -> bool:
    return bool(int(value)) if isinstance(value, int | Decimal | str) and str(value).isdigit() else bool(value)


def text(value) -> str:
    return "" if value is None else str(value)


def number(value, default=None):
    return default if value is None else float(value)


def json_value(value, default):
    """A JSON column (text in the LMS's older tables); a value that is not JSON is the default."""
    if value is None or value == "":
        return default
    if isinstance(value, dict | list):
        return value
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return default


def a_uuid(value) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def course_key(value) -> CourseKey:
    try:
        return CourseKey.from_string(text(value))
    except InvalidKeyError:
        raise Unmappable(f"unparseable course key {value!r}") from None


def usage_key(value, course: CourseKey | None = None) -> UsageKey:
    try:
        key = UsageKey.from_string(text(value))
    except InvalidKeyError:
        raise Unmappable(f"unparseable block key {value!r}") from None
    # Old Mongo keys carry no run: the row's course gives it.
    return key.map_into_course(course) if course is not None and key.course_key.run is None else key

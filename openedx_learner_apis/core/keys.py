"""Course and usage keys: parsing them from strings, and matching them spelled exactly in queries.

One exception, :class:`InvalidKey`, for every key that does not parse, whether it came from
a URL, a query parameter or an argument of the Python API. It is the name the public API
(``openedx_learner_apis.api``) already exports, and a ``ValueError`` as before.
"""

from __future__ import annotations

from functools import lru_cache

from django.db import connections
from django.db.models import F
from django.db.models.functions import Collate
from django.db.models.lookups import Exact, In
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey

__all__ = [
    "InvalidKey", "as_course_key", "as_usage_key", "compared_exactly", "exact_sql", "parse_course_key",
    "parse_usage_key",
    "spelled_as", "spelled_exactly", "spelled_exactly_in",
]


class InvalidKey(ValueError):
    """A course or usage key string that does not parse, or that names no course run."""


# Arguments of the Python API: a key passes through, anything else is read as its string.

def _as_key(value, key_class, kind: str):
    """``value`` as a ``key_class``: a key unchanged, else its string parsed (``InvalidKey`` if it does not parse)."""
    if isinstance(value, key_class):
        return value
    try:
        return key_class.from_string(str(value))
    except InvalidKeyError:
        raise InvalidKey(f"{value!r} is not a valid {kind} key.") from None


def as_course_key(value) -> CourseKey:
    """``value`` as a ``CourseKey``: a key unchanged, else its string parsed (``InvalidKey`` if it does not parse)."""
    return _as_key(value, CourseKey, "course")


def as_usage_key(value) -> UsageKey:
    """``value`` as a ``UsageKey``: a key unchanged, else its string parsed (``InvalidKey`` if it does not parse)."""
    return _as_key(value, UsageKey, "usage")


# Strings from HTTP: a key must also name a course run, since every lookup goes through one.

PARSED_KEYS = 1024

def _names_a_run(course_key) -> bool:
    """False for the run-less course of an old ``i4x://`` location: it matches no course and cannot be printed."""
    return not (getattr(course_key, "deprecated", False) and getattr(course_key, "run", "") is None)


def parse_course_key(value: str) -> CourseKey:
    """The course key a URL or a request body spells; ``InvalidKey`` for anything else, non-strings included.

    Strings are parsed once per process (keys are immutable, and the same URLs come back on
    every request; bounded, since clients choose them); a refused string is not kept.
    """
    return _parsed_course_key(value) if isinstance(value, str) else _parse_course_key(value)


def parse_usage_key(value: str) -> UsageKey:
    """The usage key a URL or a request body spells, in a course run; ``InvalidKey`` for anything else.

    Memoized as :func:`parse_course_key` is.
    """
    return _parsed_usage_key(value) if isinstance(value, str) else _parse_usage_key(value)


def _parse_course_key(value) -> CourseKey:
    try:
        key = CourseKey.from_string(value)
    except (InvalidKeyError, AttributeError, TypeError, ValueError) as exc:
        raise InvalidKey(f"'{value}' is not a valid course key.") from exc
    if not _names_a_run(key):
        raise InvalidKey(f"'{value}' names no course run.")
    return key


def _parse_usage_key(value) -> UsageKey:
    try:
        key = UsageKey.from_string(value)
    except (InvalidKeyError, AttributeError, TypeError, ValueError) as exc:
        raise InvalidKey(f"'{value}' is not a valid usage key.") from exc
    if not _names_a_run(key.course_key):
        raise InvalidKey(f"'{value}' names no course run.")
    return key


_parsed_course_key = lru_cache(maxsize=PARSED_KEYS)(_parse_course_key)
_parsed_usage_key = lru_cache(maxsize=PARSED_KEYS)(_parse_usage_key)


# Exact spelling: a key names a row only when its letter case matches too.

def spelled_as(stored, requested) -> bool:
    """Whether a key read from the database is spelled exactly as the key it was looked up by.

    Opaque-key columns compare case-insensitively on SQLite and MySQL and exactly on
    PostgreSQL. A key names a row only when its letter case matches too, so that
    ``course-v1:edx+demox+democourse`` is a course that does not exist on every database,
    never the row of ``course-v1:edX+DemoX+DemoCourse`` served under another spelling.
    """
    return str(stored) == str(requested)


# Collations that compare byte for byte, per database vendor; PostgreSQL's default already does.
_BINARY_COLLATIONS = {"sqlite": "BINARY", "mysql": "utf8mb4_bin"}


def compared_exactly(field_name: str, *, using: str = "default"):
    """The column ``field_name`` as an expression that compares byte for byte on every database.

    Key columns are declared case-insensitive on SQLite and MySQL/MariaDB, and MariaDB also
    ignores case in ordinary text columns. Filtering through this expression applies the
    spelling rule of :func:`spelled_as` in the query itself, where a count or a ``LIMIT``
    must see only the rows that are spelled as asked.
    """
    collation = _BINARY_COLLATIONS.get(connections[using].vendor)
    return Collate(F(field_name), collation) if collation else F(field_name)


def exact_sql(column_sql: str, connection) -> str:
    """``column_sql`` compared byte for byte on ``connection``: :func:`compared_exactly` in hand-written SQL."""
    collation = _BINARY_COLLATIONS.get(connection.vendor)
    return f"{column_sql} COLLATE {connection.ops.quote_name(collation)}" if collation else column_sql


def _serialized(value):
    # The condition is built before its column is resolved, so the field cannot serialize keys itself.
    return value if hasattr(value, "resolve_expression") else str(value)


def spelled_exactly(field_name: str, value, *, using: str = "default") -> Exact:
    """A filter condition: ``field_name`` holds ``value`` (a key, its string or a column) spelled exactly."""
    return Exact(compared_exactly(field_name, using=using), _serialized(value))


def spelled_exactly_in(field_name: str, values, *, using: str = "default") -> In:
    """A filter condition: ``field_name`` holds one of ``values`` (keys or their strings) spelled exactly."""
    return In(compared_exactly(field_name, using=using), [_serialized(value) for value in values])

"""Argument validation shared by the applets' public functions.

Public functions take users or usernames and keys or key strings; these helpers turn
them into model instances and opaque keys, or raise a clear exception.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.models import F
from django.db.models.functions import Collate
from django.db.models.lookups import Exact, In
from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey


class UserNotFound(LookupError):
    """No user has this id or username."""


class CourseNotFound(LookupError):
    """No course overview exists for this key."""


class InvalidKey(ValueError):
    """A course or usage key string that does not parse."""


def as_user(user_or_username):
    """The user instance for a user, a username or a user id."""
    user_model = get_user_model()
    if isinstance(user_or_username, user_model):
        return user_or_username
    lookup = {"pk": user_or_username} if isinstance(user_or_username, int) else {"username": user_or_username}
    try:
        user = user_model.objects.get(**lookup)
    except user_model.DoesNotExist:
        raise UserNotFound(f"No user {user_or_username!r}.") from None
    # MariaDB/MySQL's default collation finds "Alice" for "alice" (and ignores trailing spaces);
    # a username names exactly one user on every database.
    if "username" in lookup and user.username != user_or_username:
        raise UserNotFound(f"No user {user_or_username!r}.")
    return user


def as_course_key(value) -> CourseKey:
    if isinstance(value, CourseKey):
        return value
    try:
        return CourseKey.from_string(str(value))
    except InvalidKeyError:
        raise InvalidKey(f"{value!r} is not a valid course key.") from None


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


def _serialized(value):
    # The condition is built before its column is resolved, so the field cannot serialize keys itself.
    return value if hasattr(value, "resolve_expression") else str(value)


def spelled_exactly(field_name: str, value, *, using: str = "default") -> Exact:
    """A filter condition: ``field_name`` holds ``value`` (a key, its string or a column) spelled exactly."""
    return Exact(compared_exactly(field_name, using=using), _serialized(value))


def spelled_exactly_in(field_name: str, values, *, using: str = "default") -> In:
    """A filter condition: ``field_name`` holds one of ``values`` (keys or their strings) spelled exactly."""
    return In(compared_exactly(field_name, using=using), [_serialized(value) for value in values])


def as_usage_key(value) -> UsageKey:
    if isinstance(value, UsageKey):
        return value
    try:
        return UsageKey.from_string(str(value))
    except InvalidKeyError:
        raise InvalidKey(f"{value!r} is not a valid usage key.") from None

"""Argument validation shared by the applets' public functions.

Public functions take users or usernames and keys or key strings; these helpers turn
them into model instances and opaque keys, or raise a clear exception.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
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


def as_usage_key(value) -> UsageKey:
    if isinstance(value, UsageKey):
        return value
    try:
        return UsageKey.from_string(str(value))
    except InvalidKeyError:
        raise InvalidKey(f"{value!r} is not a valid usage key.") from None

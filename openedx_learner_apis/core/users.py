"""Finding a user by username, and the letter-case rule that decides which user a name means.

Two rules, one per kind of caller:

* the Python API (:func:`as_user`) names users exactly: ``"Alice"`` is not ``"alice"``;
* a username in a URL (:func:`find_user`) is matched exactly first, then in another letter
  case when that names exactly one user. After this lookup, code uses the returned user's
  own username.

Both hold on every database, whatever its collation does to case and accents.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

__all__ = ["MAX_USERNAME_LENGTH", "UserNotFound", "as_user", "find_user", "is_same_username", "same_ignoring_case"]

MAX_USERNAME_LENGTH = 150


class UserNotFound(LookupError):
    """No user has this id or username."""


def as_user(user_or_username):
    """The user instance for a user, a username (spelled exactly) or a user id; ``UserNotFound`` otherwise."""
    user_model = get_user_model()
    if isinstance(user_or_username, user_model):
        return user_or_username
    lookup = {"pk": user_or_username} if isinstance(user_or_username, int) else {"username": user_or_username}
    try:
        user = user_model.objects.get(**lookup)
    except user_model.DoesNotExist:
        raise UserNotFound(f"No user {user_or_username!r}.") from None
    # MariaDB/MySQL's default collation finds "Alice" for "alice" (and ignores trailing spaces).
    if "username" in lookup and user.username != user_or_username:
        raise UserNotFound(f"No user {user_or_username!r}.")
    return user


def same_ignoring_case(one: str, other: str) -> bool:
    """Whether two usernames differ in letter case only.

    Both ``lower()`` and ``upper()`` must agree: ``casefold()`` alone also equates names
    that are different accounts, such as ``straße`` and ``strasse``.
    """
    return one.lower() == other.lower() and one.upper() == other.upper()


def find_user(username: str):
    """The user a URL's ``username`` names (an exact match wins over a case variant), or ``None``."""
    # No username holds a NUL, and PostgreSQL refuses to compare one (DataError).
    if not isinstance(username, str) or not username or len(username) > MAX_USERNAME_LENGTH or "\x00" in username:
        return None
    users = get_user_model().objects
    # The exact name first: it uses the username index, where ``iexact`` (UPPER(...)) scans the table.
    # MariaDB/MySQL's default collation folds case and accents, so compare in Python too.
    exact = [user for user in users.filter(username=username)[:5] if user.username == username]
    if exact:
        return exact[0]
    # The same collation also folds accents ("José" for "jose"): keep case variants only.
    matches = [user for user in users.filter(username__iexact=username)[:5]
               if same_ignoring_case(user.username, username)]
    return matches[0] if len(matches) == 1 else None


def is_same_username(user, username: str) -> bool:
    """Whether ``username`` names ``user``: exactly, or in another case when it names no one else.

    A case variant costs one query: with ``Bob`` and ``bob`` both registered, ``Bob`` names
    the other account, so the owner checks must agree with what :func:`find_user` resolves.
    """
    if not (user and user.is_authenticated and isinstance(username, str)):
        return False
    if user.username == username:
        return True
    return same_ignoring_case(user.username, username) and find_user(username) == user

"""Resolving the user a URL names.

Usernames are compared case-insensitively everywhere (the permissions always did);
after this lookup, code uses the canonical username of the returned user.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

MAX_USERNAME_LENGTH = 150


def same_ignoring_case(one: str, other: str) -> bool:
    """Whether two usernames differ in letter case only.

    Both ``lower()`` and ``upper()`` must agree: ``casefold()`` alone also equates names
    that are different accounts, such as ``straße`` and ``strasse``.
    """
    return one.lower() == other.lower() and one.upper() == other.upper()


def find_user(username: str):
    """The user named ``username`` (an exact match wins over a case-insensitive one), or ``None``."""
    # No username holds a NUL, and PostgreSQL refuses to compare one (DataError).
    if not isinstance(username, str) or not username or len(username) > MAX_USERNAME_LENGTH or "\x00" in username:
        return None
    users = get_user_model().objects
    # The exact name first: it uses the username index, where ``iexact`` (UPPER(...)) scans the table.
    # MariaDB/MySQL's default collation folds case and accents, so compare in Python too.
    exact = [user for user in users.filter(username=username)[:5] if user.username == username]
    if exact:
        return exact[0]
    # MariaDB/MySQL's default collation also folds accents ("José" for "jose"): keep case variants only.
    matches = [user for user in users.filter(username__iexact=username)[:5]
               if same_ignoring_case(user.username, username)]
    return matches[0] if len(matches) == 1 else None


def is_same_username(user, username: str) -> bool:
    """Whether ``username`` names ``user``: exactly, or in another case when it names no one else.

    A case variant costs one query: with ``Bob`` and ``bob`` both registered, ``Bob`` names
    the other account, so the owner checks must agree with what ``find_user`` resolves.
    """
    if not (user and user.is_authenticated and isinstance(username, str)):
        return False
    if user.username == username:
        return True
    return same_ignoring_case(user.username, username) and find_user(username) == user

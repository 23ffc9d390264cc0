"""Resolving the user a URL names.

Usernames are compared case-insensitively everywhere (the permissions always did);
after this lookup, code uses the canonical username of the returned user.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

MAX_USERNAME_LENGTH = 150


def find_user(username: str):
    """The user named ``username`` (an exact match wins over a case-insensitive one), or ``None``."""
    if not isinstance(username, str) or not username or len(username) > MAX_USERNAME_LENGTH:
        return None
    # MariaDB/MySQL's default collation also folds accents ("José" for "jose"): keep case variants only.
    matches = [user for user in get_user_model().objects.filter(username__iexact=username)[:5]
               if user.username.casefold() == username.casefold()]
    exact = [user for user in matches if user.username == username]
    if exact:
        return exact[0]
    return matches[0] if len(matches) == 1 else None


def is_same_username(user, username: str) -> bool:
    """Whether ``username`` names ``user`` (case-insensitively)."""
    return bool(user and user.is_authenticated and isinstance(username, str)
                and user.username.casefold() == username.casefold())

"""Resolving the accounts a request names, several at once, in at most two queries.

The rule is the app's one username rule (``core.users.find_user``): an exact name wins; a
name in another letter case names the account only when exactly one account has it.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Q

from ...core.users import MAX_USERNAME_LENGTH, same_ignoring_case


def _is_possible_username(name) -> bool:
    # No username holds a NUL, and PostgreSQL refuses to compare one.
    return isinstance(name, str) and 0 < len(name) <= MAX_USERNAME_LENGTH and "\x00" not in name


def find_users(usernames) -> list:
    """The users ``usernames`` name, in the order asked, each once; names that match no one are left out.

    Profiles come with the users (``select_related``), so serializing them costs no
    further query.
    """
    wanted = [name for name in dict.fromkeys(usernames) if _is_possible_username(name)]
    if not wanted:
        return []
    users = get_user_model().objects.select_related("learner_profile")
    # MariaDB/MySQL's default collation folds case and accents: compare in Python too.
    by_name = {user.username: user for user in users.filter(username__in=wanted) if user.username in wanted}
    missing = [name for name in wanted if name not in by_name]
    if missing:
        candidates = list(users.filter(reduce(or_, (Q(username__iexact=name) for name in missing))))
        for name in missing:
            matches = [user for user in candidates if same_ignoring_case(user.username, name)]
            if len(matches) == 1:
                by_name[name] = matches[0]
    found, seen = [], set()
    for name in wanted:
        user = by_name.get(name)
        if user is not None and user.pk not in seen:
            seen.add(user.pk)
            found.append(user)
    return found

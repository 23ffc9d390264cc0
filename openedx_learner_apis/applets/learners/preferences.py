"""The preferences this app owns and the values each accepts.

``account_privacy`` and ``visibility.<field>`` decide what other users see of an account;
``time_zone`` is the zone learner dates are computed in. Other keys belong to the host (an
Open edX LMS keeps its own preferences API), so an update naming one is refused rather than
stored where nothing reads it.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Mapping

from django.utils.translation import gettext as _

from .accounts import AccountValidationError

__all__ = ["ACCOUNT_PRIVACY", "PRIVACY_VALUES", "VISIBILITY_PREFIX", "VISIBILITY_VALUES", "TIME_ZONE",
           "is_owned_preference", "clean_preference_update"]

ACCOUNT_PRIVACY = "account_privacy"
PRIVACY_VALUES = ("private", "all_users", "custom")
VISIBILITY_PREFIX = "visibility."
VISIBILITY_VALUES = ("private", "all_users")
TIME_ZONE = "time_zone"
MAX_KEY_LENGTH = 255


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def is_owned_preference(key) -> bool:
    """Whether ``key`` is one of the preferences this app stores."""
    if not isinstance(key, str) or len(key) > MAX_KEY_LENGTH:
        return False
    if key in (ACCOUNT_PRIVACY, TIME_ZONE):
        return True
    field = key.removeprefix(VISIBILITY_PREFIX)
    return key.startswith(VISIBILITY_PREFIX) and bool(field) and field.isidentifier()


def _allowed_values(key: str) -> tuple[str, ...] | None:
    if key == ACCOUNT_PRIVACY:
        return PRIVACY_VALUES
    if key.startswith(VISIBILITY_PREFIX):
        return VISIBILITY_VALUES
    return None


def clean_preference_update(data: Mapping) -> dict[str, str | None]:
    """``data`` checked whole: ``{key: value}`` where ``None`` deletes; raises ``AccountValidationError``.

    Values are strings; an empty string is refused (send ``null`` to delete), as Open edX does.
    """
    cleaned, errors = {}, {}
    for key, value in data.items():
        message = None
        if not is_owned_preference(key):
            message = (f"Preference '{key}' is not one this server stores: it stores account_privacy, "
                       f"visibility.<field> and time_zone.",
                       _("The '{key}' preference cannot be changed here.").format(key=key))
        elif value is None:
            cleaned[key] = None
            continue
        elif not isinstance(value, str) or not value:
            message = (f"Preference '{key}' cannot be set to an empty or non-string value.",
                       _("The '{key}' preference needs a value.").format(key=key))
        elif key == TIME_ZONE and value not in _time_zones():
            message = (f"Value '{value}' not valid for preference '{key}': not a time zone name.",
                       _("Select a time zone from the list."))
        elif (allowed := _allowed_values(key)) is not None and value not in allowed:
            message = (f"Value '{value}' not valid for preference '{key}': use one of {', '.join(allowed)}.",
                       _("Value '{value}' is not valid for the '{key}' preference.").format(value=value, key=key))
        if message:
            errors[key] = {"developer_message": message[0], "user_message": message[1]}
        else:
            cleaned[key] = value
    if errors:
        raise AccountValidationError(errors)
    return cleaned

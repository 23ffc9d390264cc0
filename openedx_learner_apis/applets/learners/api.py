"""Public functions of the learners applet: profiles and preferences."""

from __future__ import annotations

from django.db import transaction

from ..validation import as_user
from .models import LearnerProfile, UserPreference

__all__ = ["get_or_create_profile", "set_account_privacy", "set_preference", "get_preference", "ACCOUNT_PRIVACY"]

ACCOUNT_PRIVACY = "account_privacy"
PRIVACY_VALUES = ("private", "all_users", "custom")


def get_or_create_profile(user, **fields) -> LearnerProfile:
    """The learner's profile, created on first use; ``fields`` update it when given."""
    user = as_user(user)
    profile, created = LearnerProfile.objects.get_or_create(user=user, defaults=fields)
    if fields and not created:
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.save(update_fields=list(fields))
    return profile


def set_preference(user, key: str, value) -> UserPreference | None:
    """Store a preference; ``None`` deletes it."""
    user = as_user(user)
    if not key or len(key) > 255:
        raise ValueError("A preference key is 1 to 255 characters.")
    with transaction.atomic():
        if value is None:
            UserPreference.objects.filter(user=user, key=key).delete()
            return None
        preference, _ = UserPreference.objects.update_or_create(user=user, key=key, defaults={"value": str(value)})
    return preference


def get_preference(user, key: str, default=None):
    user = as_user(user)
    value = UserPreference.objects.filter(user=user, key=key).values_list("value", flat=True).first()
    return default if value is None else value


def set_account_privacy(user, value: str) -> UserPreference:
    """``private``, ``all_users`` or ``custom`` (then ``visibility.<field>`` preferences decide)."""
    if value not in PRIVACY_VALUES:
        raise ValueError(f"account_privacy must be one of {PRIVACY_VALUES}, not {value!r}.")
    return set_preference(user, ACCOUNT_PRIVACY, value)

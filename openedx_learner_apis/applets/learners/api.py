"""Public functions of the learners applet: profiles, account updates and preferences."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from ...core.users import as_user
from .accounts import AccountValidationError, clean_account_update, merge_social_links
from .lookup import find_users as find_users  # for the accounts routes; not part of the public API
from .models import LearnerProfile, UserPreference
from .preferences import ACCOUNT_PRIVACY, PRIVACY_VALUES, clean_preference_update

__all__ = ["get_or_create_profile", "set_account_privacy", "set_preference", "get_preference", "ACCOUNT_PRIVACY",
           "update_account", "get_preferences", "update_preferences", "AccountValidationError"]


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


def update_account(user, changes: Mapping) -> LearnerProfile:
    """Apply a merge-patch of account fields (``name``, ``bio``, ``country``...) to the learner's profile.

    Every field is checked before anything is written: any bad, unknown or read-only field
    raises ``AccountValidationError`` (its ``field_errors`` name them all) and nothing
    changes. ``social_links`` entries replace the named platforms only; a blank link removes
    one. An empty update writes nothing.
    """
    user = as_user(user)
    cleaned = clean_account_update(changes)
    if not cleaned:
        return getattr(user, "learner_profile", None) or LearnerProfile(user=user)
    with transaction.atomic():
        profile, _ = LearnerProfile.objects.select_for_update().get_or_create(user=user)
        for field, value in cleaned.items():
            if field == "social_links":
                value = merge_social_links(profile.social_links or {}, value)
            setattr(profile, field, value)
        profile.save(update_fields=list(cleaned))
    user.learner_profile = profile
    return profile


def get_preferences(user) -> dict[str, str]:
    """Every preference stored for the learner, ``{key: value}``, in one query."""
    user = as_user(user)
    return dict(UserPreference.objects.filter(user=user).order_by("key").values_list("key", "value"))


def update_preferences(user, changes: Mapping) -> None:
    """Set the preferences in ``changes`` (``None`` deletes one) in one transaction.

    Only the preferences this app owns are accepted (``account_privacy``,
    ``visibility.<field>``, ``time_zone``), each with the values it allows; otherwise
    ``AccountValidationError`` names every bad key and nothing changes.
    """
    user = as_user(user)
    cleaned = clean_preference_update(changes)
    with transaction.atomic():
        for key, value in cleaned.items():
            set_preference(user, key, value)

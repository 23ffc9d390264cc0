"""Which profile fields a learner shares with other users (Open edX account visibility rules).

The requester plays no part here: owners and staff are let through by the callers
before these rules are asked. docs/badges.rst and docs/certificates.rst describe them.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q

from ...conf import DEFAULTS, learner_apis_settings
from .api import ACCOUNT_PRIVACY
from .models import LearnerProfile, UserPreference

__all__ = [
    "PRIVATE", "ALL_USERS", "CUSTOM", "VISIBILITY_PREFIX", "visibility_configuration", "visibility_preferences",
    "visibility_preferences_of",
    "requires_parental_consent", "profile_visibility", "visible_fields", "is_field_shared",
]

PRIVATE = "private"
ALL_USERS = "all_users"
CUSTOM = "custom"
VISIBILITY_PREFIX = "visibility."


def visibility_configuration() -> dict:
    """``ACCOUNT_VISIBILITY_CONFIGURATION`` with each key the host left out taken from our defaults."""
    configured = learner_apis_settings.ACCOUNT_VISIBILITY_CONFIGURATION or {}
    return {**DEFAULTS["ACCOUNT_VISIBILITY_CONFIGURATION"], **configured}


def visibility_preferences(owner) -> dict[str, str]:
    """The owner's ``account_privacy`` and ``visibility.*`` preferences, in one query."""
    rows = UserPreference.objects.filter(
        Q(key=ACCOUNT_PRIVACY) | Q(key__startswith=VISIBILITY_PREFIX), user=owner
    ).values_list("key", "value")
    return dict(rows)


def visibility_preferences_of(owners) -> dict[int, dict[str, str]]:
    """``visibility_preferences`` of several users in one query: ``{user id: {key: value}}``."""
    by_user: dict[int, dict[str, str]] = {owner.pk: {} for owner in owners}
    rows = UserPreference.objects.filter(
        Q(key=ACCOUNT_PRIVACY) | Q(key__startswith=VISIBILITY_PREFIX), user__in=list(by_user)
    ).values_list("user_id", "key", "value")
    for user_id, key, value in rows:
        by_user[user_id][key] = value
    return by_user


def _profile_of(owner) -> LearnerProfile | None:
    """The owner's profile (no query when it was ``select_related``); ``None`` when there is none."""
    try:
        return owner.learner_profile
    except ObjectDoesNotExist:
        return None


def requires_parental_consent(profile: LearnerProfile | None, *, today: datetime.date | None = None) -> bool:
    """Whether the learner may be a minor: an unknown year of birth counts as one.

    Like Open edX, someone born ``PARENTAL_CONSENT_AGE_LIMIT`` years ago may not have
    had that birthday yet, hence ``<=``. A limit of ``None`` turns the rule off.
    """
    age_limit = learner_apis_settings.PARENTAL_CONSENT_AGE_LIMIT
    if age_limit is None:
        return False
    year_of_birth = profile.year_of_birth if profile is not None else None
    if year_of_birth is None:
        return True
    current_year = (today or datetime.date.today()).year
    return current_year - year_of_birth <= age_limit


def profile_visibility(profile: LearnerProfile | None, preferences: Mapping[str, str],
                       configuration: Mapping | None = None) -> str:
    """``private``, ``all_users``, ``custom`` (or whatever unknown value the preference holds)."""
    configuration = configuration or visibility_configuration()
    if requires_parental_consent(profile):
        return PRIVATE
    return preferences.get(ACCOUNT_PRIVACY) or configuration.get("default_visibility") or ALL_USERS


def visible_fields(owner, *, preferences: Mapping[str, str] | None = None,
                   profile: LearnerProfile | None = None) -> frozenset[str]:
    """The fields of ``owner``'s profile that any user may see.

    Pass ``preferences`` (from ``visibility_preferences``) and ``profile`` when the
    caller already has them; otherwise they cost one query each at most.
    """
    configuration = visibility_configuration()
    if preferences is None:
        preferences = visibility_preferences(owner)
    if profile is None:
        profile = _profile_of(owner)
    public = set(configuration.get("public_fields") or ())
    visibility = profile_visibility(profile, preferences, configuration)
    if visibility == ALL_USERS:
        return frozenset(public | set(configuration.get("bulk_shareable_fields") or ()))
    if visibility == CUSTOM:
        chosen = {field for field in configuration.get("custom_shareable_fields") or ()
                  if preferences.get(VISIBILITY_PREFIX + field) == ALL_USERS}
        return frozenset(public | chosen)
    return frozenset(public)


def is_field_shared(owner, field_name: str, *, preferences: Mapping[str, str] | None = None,
                    profile: LearnerProfile | None = None) -> bool:
    """Whether ``owner`` shares ``field_name`` with every user (two queries at most)."""
    return field_name in visible_fields(owner, preferences=preferences, profile=profile)

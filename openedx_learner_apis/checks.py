"""System checks that tell an operator what is misconfigured and how to fix it."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured

from .conf import DEFAULTS, FAMILIES, SETTING_NAME, learner_apis_settings


@register()
def check_settings(app_configs=None, **kwargs):
    """Unknown keys, dotted paths that do not import, bad prefixes, a missing storage alias."""
    errors = []
    try:
        learner_apis_settings.user_settings  # noqa: B018  (reading it validates the keys)
    except ImproperlyConfigured as exc:
        return [Error(str(exc), hint=f"Remove the key or fix its spelling; valid keys: {sorted(DEFAULTS)}.",
                      id="openedx_learner_apis.E001")]
    for key in ("AUTHENTICATION_CLASSES", "PERMISSION_CLASSES", "PAGINATION_CLASS", "HOOKS"):
        try:
            getattr(learner_apis_settings, key)
        except ImproperlyConfigured as exc:
            errors.append(Error(str(exc), hint="Give a dotted path to an importable class.",
                                id="openedx_learner_apis.E002"))
    prefixes = learner_apis_settings.raw("URL_PREFIXES")
    for family, prefix in prefixes.items():
        if family not in FAMILIES:
            errors.append(Error(f"{SETTING_NAME}['URL_PREFIXES'] names an unknown family {family!r}.",
                                hint=f"Families are {list(FAMILIES)}.", id="openedx_learner_apis.E003"))
        elif prefix is not None and (not isinstance(prefix, str) or prefix.startswith("/")
                                     or (prefix and not prefix.endswith("/"))):
            errors.append(Error(f"{SETTING_NAME}['URL_PREFIXES'][{family!r}] = {prefix!r} is not a valid prefix.",
                                hint="Use a relative path ending with '/', like 'api/badges/v1/', or None.",
                                id="openedx_learner_apis.E004"))
    for key in ("USERNAME_PATTERN", "COURSE_KEY_PATTERN", "USAGE_KEY_PATTERN"):
        try:
            re.compile(learner_apis_settings.raw(key))
        except re.error as exc:
            errors.append(Error(f"{key} is not a valid regular expression: {exc}.", id="openedx_learner_apis.E005"))
    alias = learner_apis_settings.PROFILE_IMAGE_STORAGE
    storages = getattr(settings, "STORAGES", {})
    if alias not in storages and alias != DEFAULTS["PROFILE_IMAGE_STORAGE"]:
        errors.append(Error(f"{SETTING_NAME}['PROFILE_IMAGE_STORAGE'] = {alias!r} is not a STORAGES alias.",
                            hint=f"Add it to STORAGES or use one of {sorted(storages)}.",
                            id="openedx_learner_apis.E006"))
    elif alias not in storages:
        errors.append(Warning(f"STORAGES has no {alias!r} alias; profile images use the 'default' storage.",
                              hint="Add a 'profile_image' alias to STORAGES to serve them from elsewhere.",
                              id="openedx_learner_apis.W001"))
    if "waffle" not in settings.INSTALLED_APPS:
        errors.append(Error("django-waffle is not installed.", hint="Add 'waffle' to INSTALLED_APPS.",
                            id="openedx_learner_apis.E007"))
    return errors

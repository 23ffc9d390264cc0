"""Mounts each REST family under its prefix from ``OPENEDX_LEARNER_APIS["URL_PREFIXES"]``.

Each family keeps its Open edX URL namespace (``courseware_api``, ``badges_api``...),
so ``reverse()`` calls written for Open edX keep working. A ``None`` prefix turns a
family off.
"""

from __future__ import annotations

import re
from importlib.util import find_spec

from django.urls import include, re_path

from .conf import learner_apis_settings

# family -> (URL module, namespace)
FAMILY_URLCONFS = {
    "profile_images": ("openedx_learner_apis.rest_api.profile_images.urls", "accounts_profile_image_api"),
    "profile_images_legacy": ("openedx_learner_apis.rest_api.profile_images.legacy_urls", "profile_images"),
    "accounts": ("openedx_learner_apis.rest_api.accounts.urls", "accounts_api"),
    "badges": ("openedx_learner_apis.rest_api.badges.urls", "badges_api"),
    "certificates": ("openedx_learner_apis.rest_api.certificates.urls", "certificates_api"),
    "mobile": ("openedx_learner_apis.rest_api.mobile.urls", "mobile_api"),
    "courseware": ("openedx_learner_apis.rest_api.courseware.urls", "courseware_api"),
}


def module_exists(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def family_urlpatterns() -> list:
    """One ``include()`` per enabled family whose URL module exists."""
    prefixes = learner_apis_settings.raw("URL_PREFIXES")
    patterns = []
    for family, (module, namespace) in FAMILY_URLCONFS.items():
        prefix = prefixes.get(family)
        if prefix is None or not module_exists(module):
            continue
        patterns.append(re_path("^" + re.escape(prefix), include((module, namespace), namespace=namespace)))
    return patterns


urlpatterns = family_urlpatterns()

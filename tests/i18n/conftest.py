"""A host resolving each request's language the way Open edX's LMS does.

The LMS runs Django's ``LocaleMiddleware`` (after the session middleware, before the common
one) and lists the directories of its plugins' pulled catalogs in ``LOCALE_PATHS``; these
fixtures do the same with this app's ``conf/locale``, which holds the eo pseudo-language.
"""

from __future__ import annotations

import pytest
from django.conf import settings

from .catalogs import LOCALE_DIR

LOCALE_MIDDLEWARE = "django.middleware.locale.LocaleMiddleware"


def lms_middleware() -> list[str]:
    middleware = [name for name in settings.MIDDLEWARE if name != LOCALE_MIDDLEWARE]
    at = middleware.index("django.contrib.sessions.middleware.SessionMiddleware") + 1
    return [*middleware[:at], LOCALE_MIDDLEWARE, *middleware[at:]]


@pytest.fixture
def dummy_locale(settings):
    """The app's catalogs on ``LOCALE_PATHS``, as the LMS lists its plugins' (eo among them)."""
    settings.LOCALE_PATHS = [str(LOCALE_DIR)]


@pytest.fixture
def lms_host(dummy_locale, settings):
    """``LocaleMiddleware`` where the LMS has it: the ``Accept-Language`` header picks the language."""
    settings.MIDDLEWARE = lms_middleware()

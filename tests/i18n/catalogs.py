"""Where the app's message catalogs live, and the eo pseudo-translation read without Django.

The tests compare what Django answers with what Python's own ``gettext`` module reads from the
committed ``.mo`` file, so a passing test shows Django found and used that file.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

import openedx_learner_apis

LOCALE_DIR = Path(openedx_learner_apis.__file__).parent / "conf" / "locale"
SOURCE_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
DUMMY_PO = LOCALE_DIR / "eo" / "LC_MESSAGES" / "django.po"
DUMMY_MO = LOCALE_DIR / "eo" / "LC_MESSAGES" / "django.mo"


@cache
def dummy_catalog() -> gettext.GNUTranslations:
    with DUMMY_MO.open("rb") as mo:
        return gettext.GNUTranslations(mo)


def eo(english: str) -> str:
    """The eo pseudo-translation of ``english``; fails if the committed catalog lacks it."""
    catalog = dummy_catalog()
    assert english in catalog._catalog, f"not in the eo catalog: {english!r}"
    translated = catalog.gettext(english)
    assert translated != english
    return translated

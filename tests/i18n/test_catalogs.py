"""The committed catalogs match the source: every marked string is extracted, pseudo-translated and compiled.

``make extract_translations dummy_translations compile_translations`` rewrites them; these
tests fail when a string was marked (or a user message added) without running it, or when a
user message is handed over as plain text that no catalog can translate.
"""

from __future__ import annotations

import ast
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

from .catalogs import DUMMY_MO, DUMMY_PO, LOCALE_DIR, SOURCE_PO, dummy_catalog
from .source_messages import is_plain_text, marked_strings, user_message_sites

REPOSITORY = Path(__file__).resolve().parents[2]


def po_msgids(path: Path) -> set[str]:
    """The msgids of a ``.po`` file, its header's empty one left out."""
    msgids, current = set(), None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = [ast.literal_eval(line[len("msgid "):])]
        elif line.startswith('"') and current is not None:
            current.append(ast.literal_eval(line))
        else:
            if current is not None:
                msgids.add("".join(current))
            current = None
    if current is not None:
        msgids.add("".join(current))
    return msgids - {""}


def mo_msgids(translations: gettext.GNUTranslations) -> set[str]:
    keys = translations._catalog
    return {key[0] if isinstance(key, tuple) else key for key in keys} - {""}


def test_every_user_message_is_marked_for_translation():
    sites = list(user_message_sites())
    assert len(sites) > 30  # the scan sees the error modules
    untranslatable = [where for where, value in sites if value is None or is_plain_text(value)]
    assert untranslatable == []


def test_the_source_catalog_holds_exactly_the_marked_strings():
    assert po_msgids(SOURCE_PO) == marked_strings()


def test_the_pseudo_language_translates_every_source_string():
    source = po_msgids(SOURCE_PO)
    assert po_msgids(DUMMY_PO) == source
    assert mo_msgids(dummy_catalog()) == source
    catalog = dummy_catalog()
    untranslated = [msgid for msgid in source if catalog.gettext(msgid) == msgid]
    assert untranslated == []


def test_the_pseudo_language_keeps_every_placeholder():
    catalog = dummy_catalog()
    for msgid in po_msgids(SOURCE_PO):
        placeholders = {part.split("}")[0] for part in msgid.split("{")[1:]}
        translated = catalog.gettext(msgid)
        assert {part.split("}")[0] for part in translated.split("{")[1:]} == placeholders, msgid


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_the_committed_mo_is_compiled_from_the_committed_po(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(DUMMY_PO)], check=True)
    with compiled.open("rb") as fresh, DUMMY_MO.open("rb") as committed:
        assert gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(committed)._catalog


def test_the_wheel_ships_the_source_catalog_and_not_the_pseudo_language():
    manifest = (REPOSITORY / "MANIFEST.in").read_text().splitlines()
    package_locale = LOCALE_DIR.relative_to(REPOSITORY).as_posix()
    assert f"recursive-include {package_locale} config.yaml *.po *.mo" in manifest
    assert f"prune {package_locale}/eo" in manifest
    assert (LOCALE_DIR / "config.yaml").is_file() and SOURCE_PO.is_file()

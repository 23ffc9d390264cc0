"""Sphinx configuration for the openedx-learner-apis documentation (built with ``sphinx-build -W``)."""

import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "test_settings")
django.setup()  # autodoc imports the models behind the public API

from openedx_learner_apis import __version__  # noqa: E402

project = "openedx-learner-apis"
author = "openedx-learner-apis contributors"
copyright = "openedx-learner-apis contributors"  # noqa: A001
release = version = __version__

extensions = ["sphinx.ext.autodoc", "sphinx.ext.viewcode"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False}

exclude_patterns = ["_build"]
html_theme = "alabaster"
html_static_path: list[str] = []

"""Test settings: the same defaults as ``common``."""

from .common import plugin_settings  # noqa: F401

"""Course modes: the named sets of modes, the offered modes and the upgrade deadline (docs/mobile.rst)."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

__all__ = [
    "DEFAULT_MODE", "UPGRADE_TARGET_MODES", "UPGRADEABLE_MODES", "VERIFIED_MODES", "displayed_modes",
    "upgrade_deadline",
]

# What a course without any mode row offers (Open edX's default mode).
DEFAULT_MODE = SimpleNamespace(mode_slug="audit", sku=None, android_sku=None, ios_sku=None, min_price=0,
                               expiration_datetime=None)
UPGRADEABLE_MODES = frozenset({"audit", "honor", "unpaid-executive-education", "unpaid-bootcamp"})
# Modes whose learners have their identity verified.
VERIFIED_MODES = frozenset({"verified", "professional", "masters", "executive-education", "paid-executive-education",
                            "paid-bootcamp"})
# The modes an upgrade leads to, in the order the upgrade deadline looks for them.
UPGRADE_TARGET_MODES = ("verified", "professional")


def _unexpired(modes, now: datetime) -> list:
    return [mode for mode in modes if mode.expiration_datetime is None or mode.expiration_datetime > now]


def displayed_modes(modes, *, now: datetime) -> list:
    """Every unexpired mode (credit ones included) in stored order, or the default mode when there is none."""
    return _unexpired(modes, now) or [DEFAULT_MODE]


def upgrade_deadline(enrollment_mode: str, modes, *, now: datetime) -> datetime | None:
    """The last moment to upgrade to the verified (or professional) mode, or ``None``.

    Only upgradeable enrollment modes have one; it is the unexpired verified mode's
    expiration (``None`` when it never expires or does not exist). Schedule-based
    personal deadlines are not modelled here.
    """
    if enrollment_mode not in UPGRADEABLE_MODES:
        return None
    by_slug = {mode.mode_slug: mode for mode in _unexpired(modes, now)}
    mode = next((by_slug[slug] for slug in UPGRADE_TARGET_MODES if slug in by_slug), None)
    return mode.expiration_datetime if mode is not None else None

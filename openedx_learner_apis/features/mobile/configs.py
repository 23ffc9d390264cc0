"""Mobile configs: the ``configs`` object the apps read, and the mobile-available switch.

Both tables are read from cached snapshots (:mod:`openedx_learner_apis.core.config_snapshots`), not the database.
"""

from __future__ import annotations

from ...applets.mobile.models import IGNORE_MOBILE_AVAILABLE_FLAG, MOBILE_CONFIGS
from ...core.config_snapshots import read_config_snapshot

__all__ = ["IAP_PREFIX", "structured_configs", "ignore_mobile_available_flag"]

IAP_PREFIX = "iap_"


def structured_configs() -> dict:
    """Every ``MobileConfig`` row by name; names starting with ``iap_`` go under ``iap_configs``."""
    configs: dict = {"iap_configs": {}}
    for name, value in read_config_snapshot(MOBILE_CONFIGS):
        if name.startswith(IAP_PREFIX):
            configs["iap_configs"][name] = value
        else:
            configs[name] = value
    return configs


def ignore_mobile_available_flag() -> bool:
    """Whether every course counts as mobile-available (the latest switch row is enabled)."""
    return read_config_snapshot(IGNORE_MOBILE_AVAILABLE_FLAG)

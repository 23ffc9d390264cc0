"""The ``configs`` object the mobile apps read (spec mobile_users §5.3)."""

from __future__ import annotations

from .models import IgnoreMobileAvailableFlagConfig, MobileConfig

__all__ = ["IAP_PREFIX", "structured_configs", "ignore_mobile_available_flag"]

IAP_PREFIX = "iap_"


def structured_configs() -> dict:
    """Every ``MobileConfig`` row by name; names starting with ``iap_`` go under ``iap_configs``."""
    configs: dict = {"iap_configs": {}}
    for name, value in MobileConfig.objects.order_by("id").values_list("name", "value"):
        if name.startswith(IAP_PREFIX):
            configs["iap_configs"][name] = value
        else:
            configs[name] = value
    return configs


def ignore_mobile_available_flag() -> bool:
    """Whether every course counts as mobile-available (the latest switch row is enabled)."""
    return IgnoreMobileAvailableFlagConfig.is_enabled()

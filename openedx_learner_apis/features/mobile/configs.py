"""Mobile configs: the ``configs`` object the apps read, and the mobile-available switch.

Both are django-config-models tables read from its cache (:mod:`openedx_learner_apis.core.config_rows`):
no query when warm, one per table when cold.
"""

from __future__ import annotations

from ...applets.mobile.models import IgnoreMobileAvailableFlagConfig, MobileConfig
from ...core.config_rows import current_rows

__all__ = ["IAP_PREFIX", "structured_configs", "ignore_mobile_available_flag"]

IAP_PREFIX = "iap_"


def structured_configs(*, shared_token: str | None = None) -> dict:
    """The value of every enabled ``MobileConfig`` name (its latest row); ``iap_*`` names go under ``iap_configs``.

    Names come in the order of their latest change. ``shared_token``, when the caller read it,
    serves the rows from this process's memo (``core.config_rows.current_rows``).
    """
    configs: dict = {"iap_configs": {}}
    rows = current_rows(MobileConfig, shared_token=shared_token).values()
    for name, value in ((row.name, row.value) for row in sorted(rows, key=lambda row: row.pk) if row.enabled):
        if name.startswith(IAP_PREFIX):
            configs["iap_configs"][name] = value
        else:
            configs[name] = value
    return configs


def ignore_mobile_available_flag() -> bool:
    """Whether every course counts as mobile-available (the latest switch row is enabled)."""
    return bool(IgnoreMobileAvailableFlagConfig.is_enabled())

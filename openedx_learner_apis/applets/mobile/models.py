"""Configuration the mobile apps read: name/value configs and the mobile-available override."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ...core.config_snapshots import AnnouncedWritesQuerySet, register_config_snapshot
from ...core.timestamps import Timestamped


class MobileConfig(Timestamped):
    """A name/value pair sent to the mobile apps in the v2+ ``configs`` object.

    .. no_pii:
    """

    name = models.CharField(max_length=255, unique=True)
    value = models.CharField(max_length=255)

    objects = AnnouncedWritesQuerySet.as_manager()

    def __str__(self):
        return f"{self.name}={self.value}"


class IgnoreMobileAvailableFlagConfig(models.Model):
    """When the latest row is enabled, courses are listed for mobile whatever their ``mobile_available``.

    .. no_pii:
    """

    enabled = models.BooleanField(default=False)
    change_date = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = AnnouncedWritesQuerySet.as_manager()

    def __str__(self):
        return f"ignore mobile_available: {self.enabled}"

    @classmethod
    def is_enabled(cls) -> bool:
        latest = cls.objects.order_by("-change_date", "-id").first()
        return bool(latest and latest.enabled)


def _mobile_configs() -> tuple:
    return tuple(MobileConfig.objects.order_by("id").values_list("name", "value"))


# Every mobile request reads both tables: they are served from cached snapshots, not queried.
MOBILE_CONFIGS = register_config_snapshot("mobile_configs", MobileConfig, _mobile_configs)
IGNORE_MOBILE_AVAILABLE_FLAG = register_config_snapshot(
    "ignore_mobile_available_flag", IgnoreMobileAvailableFlagConfig, IgnoreMobileAvailableFlagConfig.is_enabled)

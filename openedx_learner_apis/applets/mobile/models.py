"""Configuration the mobile apps read: name/value configs and the mobile-available override.

Both are django-config-models ``ConfigurationModel`` tables: a change adds a row (the history
stays), the latest row counts, and reads are served from config_models' cache
(:mod:`openedx_learner_apis.core.config_rows`), not the database.
"""

from __future__ import annotations

from config_models.models import ConfigurationModel
from django.db import models

from ...core.config_rows import SafeCacheKeys, forget_current_rows_on_commit


class MobileConfig(SafeCacheKeys, ConfigurationModel):
    """A name/value pair sent to the mobile apps in the v2+ ``configs`` object, keyed by ``name``.

    The latest row of a name counts; a latest row with ``enabled`` off removes the name from
    ``configs``. New rows are enabled unless unticked.

    .. no_pii:
    """

    KEY_FIELDS = ("name",)

    name = models.CharField(max_length=255, db_index=True)
    value = models.CharField(max_length=255)
    enabled = models.BooleanField(default=True, verbose_name="Enabled")

    class Meta(ConfigurationModel.Meta):
        pass

    def __str__(self):
        return f"{self.name}={self.value}"


class IgnoreMobileAvailableFlagConfig(ConfigurationModel):
    """When the latest row is enabled, courses are listed for mobile whatever their ``mobile_available``.

    .. no_pii:
    """

    class Meta(ConfigurationModel.Meta):
        pass

    def __str__(self):
        return f"ignore mobile_available: {self.enabled}"


forget_current_rows_on_commit(MobileConfig)
forget_current_rows_on_commit(IgnoreMobileAvailableFlagConfig)

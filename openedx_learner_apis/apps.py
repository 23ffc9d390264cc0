"""App configuration, including the Open edX plugin declaration.

This module is imported while host settings are still loading, so it must not
touch settings, models or DRF at import time.
"""

import importlib.util

from django.apps import AppConfig


class LearnerApisConfig(AppConfig):
    """Registers the app and tells Open edX plugin discovery how to mount it."""

    name = "openedx_learner_apis"
    label = "openedx_learner_apis"
    verbose_name = "Open edX learner APIs"
    default_auto_field = "django.db.models.BigAutoField"

    # Plain string keys, so importing this module never needs edx-django-utils.
    plugin_app = {
        "url_config": {
            "lms.djangoapp": {
                "namespace": "",  # each family keeps its Open edX namespace (courseware_api, ...)
                "regex": r"^",
                "relative_path": "urls",
            },
        },
        "settings_config": {
            "lms.djangoapp": {
                "common": {"relative_path": "settings.common"},
                "production": {"relative_path": "settings.production"},
                "test": {"relative_path": "settings.test"},
            },
        },
    }

    def ready(self):
        from django.apps import apps
        from django.conf import settings

        # edx-django-utils defaults OPENEDX_TELEMETRY to New Relic and logs a warning on every
        # process without it; a host that never configured telemetry gets none (the LMS sets its own).
        if not hasattr(settings, "OPENEDX_TELEMETRY"):
            settings.OPENEDX_TELEMETRY = []
        from . import checks, conf  # noqa: F401  (importing checks registers them)
        from .rest_api.common import schema  # noqa: F401  (registers the OpenAPI auth schemes)

        conf.connect_reload()

        from .core.request_cache import connect_request_cache_reset

        connect_request_cache_reset()  # flags and configuration rows are remembered for one request only

        from .applets.courses import cache  # noqa: F401  (connects the course cache invalidation)
        from .applets.engagement import celebrations  # noqa: F401  (connects the enrollment celebration)
        from .features.response_versions.writes import connect_version_receivers

        connect_version_receivers()

        if importlib.util.find_spec("openedx_events") is not None:
            from .contrib.openedx_events.receivers import connect_receivers

            connect_receivers()
        if apps.is_installed("completion"):
            from .contrib.edx_completion.receivers import connect_receivers as connect_completion_receivers

            connect_completion_receivers()

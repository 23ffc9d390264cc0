"""Plugin URLs as edx-django-utils mounts them, less a plugin whose URL module imports only inside edx-platform.

edx-completion is an ``lms.djangoapp`` plugin whose REST API module imports
``openedx.core.lib.api.authentication``, part of edx-platform; outside the LMS importing it
fails, and with it every URL. Its models and signals work anywhere, so a host still installs
the app and only leaves its URLs out. Each skipped plugin is logged.
"""

import logging
from importlib import import_module

from edx_django_utils.plugins import plugin_urls

log = logging.getLogger(__name__)


def plugin_url_patterns(project_type: str) -> list:
    """``get_plugin_url_patterns(project_type)``, skipping plugins whose URL module does not import here."""
    patterns = []
    for module_path, url_config in plugin_urls._iter_plugins(project_type):  # noqa: SLF001
        try:
            import_module(module_path)
        except Exception as exc:  # noqa: BLE001  (an import error of any kind: the module needs edx-platform)
            log.info("Not mounting the URLs of %s, which do not import outside edx-platform: %r", module_path, exc)
            continue
        patterns.append(plugin_urls._get_url(module_path, url_config))  # noqa: SLF001
    return patterns

"""The root URLconf that answers the app's paths before the host's own (``SERVE_BEFORE_HOST_ROUTES``).

The plugin settings hook makes this module ``ROOT_URLCONF`` and remembers the host's in
``OPENEDX_LEARNER_APIS["HOST_URLCONF"]``. Its ``urlpatterns`` are built when Django first
reads them (a module ``__getattr__``), when every setting is loaded: with the setting on,
the app's routes come first (``merge.precedence_patterns``); with it off, they are the
host's patterns as they are. The host's error handlers (``handler404``...) are the host's.
"""

from __future__ import annotations

from importlib import import_module

from django.core.exceptions import ImproperlyConfigured

from ..conf import SETTING_NAME, learner_apis_settings
from ..urls import family_urlpatterns
from . import HOST_URLS
from .merge import precedence_patterns


def host_urlconf() -> str:
    """The dotted path of the host's own root URLconf."""
    host = learner_apis_settings.raw("HOST_URLCONF")
    if not host or host == HOST_URLS:
        raise ImproperlyConfigured(
            f"ROOT_URLCONF is {HOST_URLS!r} but {SETTING_NAME}['HOST_URLCONF'] does not name the host's own "
            "root URLconf (e.g. 'lms.urls').")
    return host


def build_urlpatterns() -> list:
    host_patterns = list(import_module(host_urlconf()).urlpatterns)
    if not learner_apis_settings.raw("SERVE_BEFORE_HOST_ROUTES"):
        return host_patterns
    return precedence_patterns(family_urlpatterns(), host_patterns)


def __getattr__(name: str):
    if name == "urlpatterns":
        return build_urlpatterns()
    if name.startswith("handler"):
        return getattr(import_module(host_urlconf()), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

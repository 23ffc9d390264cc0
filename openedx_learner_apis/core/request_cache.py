"""edx-django-utils' request cache lives for one request: emptied when a request starts and when it ends.

edx-toggles keeps each flag's answer there and config_models the configuration rows it read
(the first tier of its ``TieredCache``). Open edX hosts empty it with edx-django-utils'
``RequestCacheMiddleware``; a host without that middleware would keep those answers for the
life of the thread, so a flag turned on for one user would stay on for the next request and a
configuration change saved by another process would never be seen. Connecting to Django's
``request_started`` and ``request_finished`` empties it for every host, with or without the
middleware (emptying twice is harmless).
"""

from __future__ import annotations

from django.core.signals import request_finished, request_started
from edx_django_utils.cache import RequestCache

__all__ = ["clear_request_cache", "connect_request_cache_reset"]


def clear_request_cache(**kwargs) -> None:
    """Forget everything the request cache holds, in every namespace (what the middleware does)."""
    RequestCache.clear_all_namespaces()


def connect_request_cache_reset() -> None:
    """Empty the request cache at the start and the end of every request."""
    request_started.connect(clear_request_cache, dispatch_uid="openedx_learner_apis.request_cache.started")
    request_finished.connect(clear_request_cache, dispatch_uid="openedx_learner_apis.request_cache.finished")

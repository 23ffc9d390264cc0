"""JSON 404s for URLs shaped like a family's routes that no route matched (audit X4).

A username or key the URL patterns reject (``/accounts/a%0Ab/image``, ``/api/mobile/v9/...``)
used to fall through to the host's HTML 404 page. Each family ends its ``urlpatterns``
with these loose patterns, so such URLs get a 404 in that family's documented error shape.
The patterns only cover the shapes of the family's own routes, never the whole prefix, so
they cannot hide a host's other routes mounted under a shared prefix (``api/user/v1/``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.urls import re_path
from rest_framework.exceptions import APIException, NotFound

ALL_METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]


def not_found(**url_kwargs) -> APIException:
    return NotFound()


def unmatched_route(regex: str, like: type, error: Callable[..., APIException] = not_found):
    """A pattern answering any method on ``regex`` with ``error(**url_kwargs)``, formatted as ``like`` formats it.

    The view is a subclass of the family's real view ``like``, so the error body takes the
    same shape (``{"detail"}`` or the developer-error shape). It authenticates nobody and
    reads nothing: a URL that names no route is a 404 for every requester. It is left out
    of the API schema. Write ``[\\s\\S]`` rather than ``.`` in ``regex``, so that a decoded
    ``%0A`` matches too (Django's reverse lookups reject the ``(?s)`` flag).
    """

    def initial(self, request, *args, **kwargs):
        raise error(**kwargs)

    view = type(f"Unmatched{like.__name__}", (like,), {
        "schema": None,
        "http_method_names": ALL_METHODS,
        "get_authenticators": lambda self: [],
        "get_permissions": lambda self: [],
        "get_throttles": lambda self: [],
        "initial": initial,
        "__doc__": f"Unmatched URLs shaped like {like.__name__}'s route: a 404 in its error shape.",
    })
    return re_path(regex, view.as_view())

"""JSON 404s for URLs shaped like a family's routes that no route matched.

A username or key the URL patterns reject (``/accounts/a%0Ab/image``, ``/api/mobile/v9/...``)
would otherwise fall through to the host's HTML 404 page. Each family ends its
``urlpatterns`` with these loose patterns, so such URLs get a 404 in that family's
documented error shape. Most families cover only the shapes of their own routes, so they
cannot hide a host's other routes under a shared prefix (``api/user/v1/``); the mobile
family covers its whole prefix (see ``docs/mobile.rst``).

A loose pattern must not swallow a URL that only lacks its trailing slash: Django's
``APPEND_SLASH`` answers such URLs only when nothing matches them. Where the URL with a
slash appended is a real route, that route serves the request as it is, whatever the
method, rather than through a redirect: clients that do not follow redirects, and POST or
PATCH bodies, which a redirect would lose, are served too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.urls import Resolver404, ResolverMatch, re_path, resolve
from rest_framework.exceptions import APIException, NotFound

ALL_METHODS = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]


def not_found(**url_kwargs) -> APIException:
    return NotFound()


def slash_route(request) -> ResolverMatch | None:
    """The real route that ``request``'s path names once a slash is appended, if ``APPEND_SLASH`` is on."""
    path = request.path_info
    if not getattr(settings, "APPEND_SLASH", True) or path.endswith("/"):
        return None
    try:
        match = resolve(path + "/", urlconf=getattr(request, "urlconf", None))
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None) or getattr(match.func, "cls", None)
    return None if getattr(view_class, "serves_no_route", False) else match


def unmatched_route(regex: str, like: type, error: Callable[..., APIException] = not_found):
    """A pattern answering any method on ``regex`` with ``error(**url_kwargs)``, formatted as ``like`` formats it.

    The view is a subclass of the family's real view ``like``, so the error body takes the
    same shape (``{"detail"}`` or the developer-error shape). It authenticates nobody and
    reads nothing: a URL that names no route is a 404 for every requester. It is left out
    of the API schema. Write ``[\\s\\S]`` rather than ``.`` in ``regex``, so that a decoded
    ``%0A`` matches too (Django's reverse lookups reject the ``(?s)`` flag).
    """

    def dispatch(self, request, *args, **kwargs):
        match = slash_route(request)
        if match is not None:
            request.resolver_match = match
            return match.func(request, *match.args, **match.kwargs)
        return like.dispatch(self, request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        raise error(**kwargs)

    def default_response_headers(self):
        # No ``Allow``: a URL that names no route has no methods to list (``like``'s are not its).
        headers = like.default_response_headers.fget(self)
        headers.pop("Allow", None)
        return headers

    view = type(f"Unmatched{like.__name__}", (like,), {
        "schema": None,
        "serves_no_route": True,
        "http_method_names": ALL_METHODS,
        "get_authenticators": lambda self: [],
        "get_permissions": lambda self: [],
        "get_throttles": lambda self: [],
        "dispatch": dispatch,
        "initial": initial,
        "default_response_headers": property(default_response_headers),
        "__doc__": f"Unmatched URLs shaped like {like.__name__}'s route: a 404 in its error shape.",
    })
    return re_path(regex, view.as_view())

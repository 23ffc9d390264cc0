"""The bench host's switch for the "cold" rows: a request header that turns the response cache off.

A request carrying ``X-Bench-Response-Cache: off`` is served as if its family's
``RESPONSE_CACHE`` were off (``openedx_learner_apis.rest_api.common.conditional``): the
answer is built every time and its body is not kept. The same server processes then measure
the cache hit, the ``304`` revalidation and the cold build of one endpoint, one after the
other, with the same cache. Only the bench host installs this middleware; the app never honours the header.
"""

from __future__ import annotations

from openedx_learner_apis.rest_api.common.conditional import RESPONSE_CACHE_ATTRIBUTE

HEADER = "X-Bench-Response-Cache"
OFF = "off"
META_KEY = "HTTP_" + HEADER.upper().replace("-", "_")


class ColdRequestMiddleware:
    """Sets the request attribute the response cache reads when the bench header asks for a cold answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get(META_KEY) == OFF:
            setattr(request, RESPONSE_CACHE_ATTRIBUTE, False)
        return self.get_response(request)

"""OpenAPI security schemes for the authentication classes drf-spectacular does not know.

Imported from ``AppConfig.ready()``: an extension only counts once its class exists.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter


class JwtScheme(OpenApiAuthenticationExtension):
    """edx-drf-extensions ``JwtAuthentication``: ``Authorization: JWT <token>``."""

    target_class = "edx_rest_framework_extensions.auth.jwt.authentication.JwtAuthentication"
    match_subclasses = True
    name = "jwtAuth"

    def get_security_definition(self, auto_schema):
        prefix = getattr(settings, "JWT_AUTH", {}).get("JWT_AUTH_HEADER_PREFIX", "JWT")
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix=prefix)


class BearerScheme(OpenApiAuthenticationExtension):
    """OAuth2 access tokens (django-oauth-toolkit): ``Authorization: Bearer <token>``."""

    target_class = "openedx_learner_apis.contrib.oauth2.BearerAuthenticationAllowInactiveUser"
    match_subclasses = True
    name = "bearerAuth"
    priority = 1  # wins over drf-spectacular's django-oauth-toolkit scheme, which needs OAUTH2_PROVIDER scopes

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")


class SessionAllowInactiveScheme(OpenApiAuthenticationExtension):
    """Session cookie, the same scheme as DRF's ``SessionAuthentication``."""

    target_class = "edx_rest_framework_extensions.auth.session.authentication.SessionAuthenticationAllowInactiveUser"
    match_subclasses = True
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}


class RequiredBodyAutoSchema(AutoSchema):
    """Marks an operation's request body ``required``.

    drf-spectacular only does so when every media type's schema has a required field, so an
    operation that also takes a raw binary body (no fields) would look as if it took none.
    """

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body:
            body["required"] = True
        return body


def path_parameter(name: str, description: str, **schema) -> OpenApiParameter:
    """A string captured from the URL path; ``schema`` adds constraints such as its ``pattern``."""
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.PATH, description=description, **schema)


def query_parameter(name: str, description: str) -> OpenApiParameter:
    """An optional string read from the query string."""
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description)


# Path and query parameter patterns: what the views accept, so that a client (or a schema
# fuzzer) can tell a value that will be looked up from one that is refused as malformed.
_ID = r"[\w\-~.:]+"
_DEPRECATED_ID = r"[\w\-~.:%]+"
_BRANCH_VERSION = rf"(\+branch@{_ID})?(\+version@[a-f0-9]{{24}})?"
_RUN = rf"{_ID}\+{_ID}\+{_ID}{_BRANCH_VERSION}"
_BLOCK = rf"\+type@{_ID}\+block@{_DEPRECATED_ID}"

# Every course key opaque-keys parses: course runs, CCX runs, v1 libraries and the
# deprecated org/course/run form.
ANY_COURSE_KEY_PATTERN = (
    rf"course-v1:{_RUN}|ccx-v1:{_RUN}\+ccx@[0-9]+|library-v1:{_ID}\+{_ID}{_BRANCH_VERSION}"
    rf"|{_DEPRECATED_ID}/{_DEPRECATED_ID}/{_DEPRECATED_ID}"
)
# Usage keys of a course run (old-style i4x:// keys and library blocks name no run).
USAGE_KEY_PATTERN = rf"^(block-v1:{_RUN}{_BLOCK}|ccx-block-v1:{_RUN}\+ccx@[0-9]+{_BLOCK})$"

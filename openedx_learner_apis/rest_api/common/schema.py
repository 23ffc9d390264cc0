"""OpenAPI security schemes for the authentication classes drf-spectacular does not know.

Imported from ``AppConfig.ready()``: an extension only counts once its class exists.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object


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

    target_class = "openedx_learner_apis.rest_api.common.authentication.BearerAuthenticationAllowInactiveUser"
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

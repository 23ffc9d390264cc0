"""Bearer authentication with django-oauth-toolkit access tokens (the ``[oauth2]`` extra).

It is in the default ``AUTHENTICATION_CLASSES`` of every family, so this module imports
without the toolkit: the class then authenticates nobody and other classes answer.
"""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication

try:
    from oauth2_provider.contrib.rest_framework import OAuth2Authentication
except ImportError:  # pragma: no cover - exercised only without the extra
    OAuth2Authentication = None


if OAuth2Authentication is not None:

    class BearerAuthenticationAllowInactiveUser(OAuth2Authentication):
        """``Authorization: Bearer <token>`` with django-oauth-toolkit access tokens; inactive users allowed.

        Open edX lets learners who have not activated their account yet use the
        APIs, so a valid token of an inactive user still authenticates (the toolkit's
        class does not look at ``is_active``).
        """

else:

    class BearerAuthenticationAllowInactiveUser(BaseAuthentication):
        """Inert stand-in used when django-oauth-toolkit is not installed."""

        def authenticate(self, request):
            return None

"""Authentication classes beyond those edx-drf-extensions provides."""

from __future__ import annotations

from rest_framework.authentication import BaseAuthentication

try:  # django-oauth-toolkit is an optional extra: ``pip install openedx-learner-apis[oauth2]``.
    from oauth2_provider.contrib.rest_framework import OAuth2Authentication as _OAuth2Authentication
except ImportError:  # pragma: no cover - exercised only without the extra
    _OAuth2Authentication = None


if _OAuth2Authentication is not None:

    class BearerAuthenticationAllowInactiveUser(_OAuth2Authentication):
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

"""Minting JWTs the way the Open edX LMS does, signed with the host's ``JWT_AUTH`` settings.

For demos, manual testing and tests; production tokens come from the host's OAuth2 provider.
"""

from __future__ import annotations

import time

import jwt
from django.conf import settings


def mint_jwt(user, *, scopes: list[str] | None = None, filters: list[str] | None = None,
             is_restricted: bool = False, expires_in: int = 3600, issuer: dict | None = None) -> str:
    """A signed JWT for ``user`` (e.g. scopes ``["certificates:read"]``, filters ``["content_org:edX"]``)."""
    jwt_auth = settings.JWT_AUTH
    issuer = issuer or (jwt_auth.get("JWT_ISSUERS") or [{}])[0]
    now = int(time.time())
    payload = {
        "iss": issuer.get("ISSUER", jwt_auth.get("JWT_ISSUER")),
        "aud": issuer.get("AUDIENCE", jwt_auth.get("JWT_AUDIENCE")),
        "iat": now,
        "exp": now + expires_in,
        "sub": f"user-{user.pk}",
        "user_id": user.pk,
        "preferred_username": user.username,
        "username": user.username,
        "email": user.email,
        "email_verified": user.is_active,
        "administrator": user.is_staff,
        "superuser": user.is_superuser,
        "scopes": list(scopes or ["read", "write", "profile", "email"]),
        "filters": list(filters or []),
        "is_restricted": is_restricted,
        "version": jwt_auth.get("JWT_SUPPORTED_VERSION", "1.2.0"),
    }
    secret = issuer.get("SECRET_KEY", jwt_auth.get("JWT_SECRET_KEY", settings.SECRET_KEY))
    return jwt.encode(payload, secret, algorithm=jwt_auth.get("JWT_ALGORITHM", "HS256"))


def jwt_header(token: str) -> str:
    """The ``Authorization`` header value for ``token``."""
    return f"{settings.JWT_AUTH.get('JWT_AUTH_HEADER_PREFIX', 'JWT')} {token}"

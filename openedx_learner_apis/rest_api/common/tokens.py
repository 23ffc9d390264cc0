"""Minting JWTs the way the Open edX LMS does, signed with the host's ``JWT_AUTH`` settings.

For demos, manual testing and tests; production tokens come from the host's OAuth2 provider.
Like the LMS's JWT builder, a token is signed with the private key of
``JWT_AUTH["JWT_PRIVATE_SIGNING_JWK"]`` (a JWK, as JSON) and ``JWT_SIGNING_ALGORITHM``
(RS512 unless set) when the host has one, and otherwise with the first issuer's shared
secret and ``JWT_ALGORITHM``. The key id goes into the header, so a verifier holding a
JWK set with several keys (a key rotation) knows which one to use.

edx-drf-extensions verifies these tokens (its ``JwtAuthentication`` and decoder) but ships no
encoder outside its test utilities (``auth.jwt.tests.utils``: HS256 with the first issuer's
secret or the key pair without a key id, a fixed 600-second, version 1.1.0 payload), so
minting stays here; the version claim is the library's latest supported one unless the host's
``JWT_SUPPORTED_VERSION`` says otherwise, as its decoder assumes.
"""

from __future__ import annotations

import json
import time

import jwt
from django.conf import settings
from edx_rest_framework_extensions.auth.jwt.decoder import JwtTokenVersion
from jwt.api_jwk import PyJWK

DEFAULT_SIGNING_ALGORITHM = "RS512"


def signing_key(jwt_auth: dict, issuer: dict | None = None, asymmetric: bool | None = None):
    """``(key, algorithm, headers)`` to sign with; ``asymmetric=None`` uses the key pair when there is one."""
    private_jwk = jwt_auth.get("JWT_PRIVATE_SIGNING_JWK")
    if asymmetric is None:
        asymmetric = bool(private_jwk) and issuer is None
    if asymmetric:
        if not private_jwk:
            raise ValueError("JWT_AUTH has no JWT_PRIVATE_SIGNING_JWK to sign with.")
        algorithm = jwt_auth.get("JWT_SIGNING_ALGORITHM") or DEFAULT_SIGNING_ALGORITHM
        jwk = PyJWK(json.loads(private_jwk) if isinstance(private_jwk, str) else private_jwk, algorithm)
        return jwk.key, algorithm, ({"kid": jwk.key_id} if jwk.key_id else None)
    issuer = issuer or (jwt_auth.get("JWT_ISSUERS") or [{}])[0]
    secret = issuer.get("SECRET_KEY", jwt_auth.get("JWT_SECRET_KEY", settings.SECRET_KEY))
    return secret, jwt_auth.get("JWT_ALGORITHM", "HS256"), None


def mint_jwt(user, *, scopes: list[str] | None = None, filters: list[str] | None = None,
             is_restricted: bool = False, expires_in: int = 3600, issuer: dict | None = None,
             asymmetric: bool | None = None) -> str:
    """A signed JWT for ``user`` (e.g. scopes ``["certificates:read"]``, filters ``["content_org:edX"]``).

    ``issuer`` (a ``JWT_ISSUERS`` entry) signs with that issuer's secret instead of the host's
    key pair; ``asymmetric`` forces (``True``) or avoids (``False``) the key pair.
    """
    jwt_auth = settings.JWT_AUTH
    key, algorithm, headers = signing_key(jwt_auth, issuer, asymmetric)
    claims_issuer = issuer or (jwt_auth.get("JWT_ISSUERS") or [{}])[0]
    now = int(time.time())
    payload = {
        "iss": claims_issuer.get("ISSUER", jwt_auth.get("JWT_ISSUER")),
        "aud": claims_issuer.get("AUDIENCE", jwt_auth.get("JWT_AUDIENCE")),
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
        "version": jwt_auth.get("JWT_SUPPORTED_VERSION", JwtTokenVersion.default_latest_supported),
    }
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


def jwt_header(token: str) -> str:
    """The ``Authorization`` header value for ``token``."""
    return f"{settings.JWT_AUTH.get('JWT_AUTH_HEADER_PREFIX', 'JWT')} {token}"

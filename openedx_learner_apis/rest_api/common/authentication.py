"""JWT authentication that validates tokens as the Open edX LMS does.

``JwtAuthentication`` is edx-drf-extensions' class (``Authorization: JWT ...`` header and
the JWT cookie, CSRF on cookies) with one change: tokens are always decoded by
edx-drf-extensions' decoder, never by djangorestframework-jwt's ``JWT_DECODE_HANDLER``
setting. That setting defaults to a decoder that checks a ``SECRET_KEY`` signature and
little else, so a host that forgot it accepted tokens of any issuer, without audience,
without expiry and of any version. The Open edX decoder checks what the LMS checks: the
issuer is one of ``JWT_AUTH["JWT_ISSUERS"]``, the audience is the first issuer's, the
signature verifies with a key of ``JWT_PUBLIC_SIGNING_JWK_SET`` (then the issuer's secret),
``exp`` and ``iat`` are present and ``version`` is no newer than ``JWT_SUPPORTED_VERSION``.
"""

from __future__ import annotations

import jwt
from django.conf import settings
from edx_rest_framework_extensions.auth.jwt import authentication as edx_jwt
from edx_rest_framework_extensions.auth.jwt.decoder import (
    get_verification_jwk_key_set,
    jwt_decode_handler,
    verify_jwk_signature_using_keyset,
)
from edx_rest_framework_extensions.settings import get_first_jwt_issuer


def verify_signature(token: str) -> None:
    """Raise ``InvalidTokenError`` unless a configured key signed ``token``.

    edx-drf-extensions' decoder first tries the keys of ``JWT_PUBLIC_SIGNING_JWK_SET`` and
    counts an EMPTY set as a success, so without that setting it checks no signature at
    all. Here the keys are the JWK set plus the first issuer's secret, and a host with
    neither accepts no token.
    """
    issuer = get_first_jwt_issuer()
    keys = get_verification_jwk_key_set(asymmetric_keys=settings.JWT_AUTH.get("JWT_PUBLIC_SIGNING_JWK_SET"),
                                        secret_key=issuer.get("SECRET_KEY"))
    if not keys:
        raise jwt.InvalidTokenError("JWT_AUTH has no key to verify signatures with.")
    try:
        verify_jwk_signature_using_keyset(token, keys, aud=issuer.get("AUDIENCE"))
    except jwt.InvalidTokenError:
        raise
    except Exception as exc:  # malformed keys or tokens surface as other errors: still a refusal (401)
        raise jwt.InvalidTokenError(str(exc)) from exc


def validate_jwt(token: str) -> dict:
    """The claims of ``token`` once its signature and the Open edX rules hold (else ``InvalidTokenError``)."""
    verify_signature(token)
    return jwt_decode_handler(token)


class ValidatedJwt(str):
    """The raw token (``request.auth``) carrying the claims the decoder validated (``payload``).

    Permissions read the claims from here instead of decoding again through the
    host's ``JWT_DECODE_HANDLER``.
    """

    payload: dict

    def __new__(cls, token: str, payload: dict):
        value = super().__new__(cls, token)
        value.payload = payload
        return value


def decode_jwt(token) -> dict:
    """The validated claims of ``token``: those already decoded, else edx-drf-extensions' decoder."""
    payload = getattr(token, "payload", None)
    if payload is not None:
        return payload
    return validate_jwt(token)


class JwtAuthentication(edx_jwt.JwtAuthentication):
    """edx-drf-extensions' JWT authentication, always validating with the Open edX decoder."""

    @classmethod
    def jwt_decode_token(cls, token):
        return validate_jwt(token)

    def authenticate_credentials(self, payload):
        self._validated_payload = payload
        return super().authenticate_credentials(payload)

    def authenticate(self, request):
        self._validated_payload = None
        user_and_token = super().authenticate(request)
        if user_and_token is None or self._validated_payload is None:
            return user_and_token
        user, token = user_and_token
        return user, ValidatedJwt(token, self._validated_payload)

    def _is_jwt_and_lms_user_email_mismatch(self, request, user):
        # edx-drf-extensions' check decodes again through ``JWT_DECODE_HANDLER``; use the claims validated above.
        return getattr(user, "email", None) != (self._validated_payload or {}).get("email")

"""``mint_jwt``: tokens signed with the host's ``JWT_AUTH`` that edx-drf-extensions accepts."""

from __future__ import annotations

import jwt
import pytest
from django.conf import settings
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from edx_rest_framework_extensions.permissions import (
    JwtHasScope,
    JwtHasUserFilterForRequestedUser,
    JwtRestrictedApplication,
    NotJwtRestrictedApplication,
)
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from openedx_learner_apis.rest_api.common.tokens import jwt_header, mint_jwt


def decode(token: str) -> dict:
    issuer = settings.JWT_AUTH["JWT_ISSUERS"][0]
    return jwt.decode(token, issuer["SECRET_KEY"], algorithms=["HS256"], audience=issuer["AUDIENCE"])


def test_claims(make_user):
    user = make_user("alice", is_staff=True)
    claims = decode(mint_jwt(user, scopes=["certificates:read"], filters=["content_org:edX", "user:me"],
                             is_restricted=True, expires_in=60))
    assert claims["iss"] == settings.JWT_AUTH["JWT_ISSUER"]
    assert claims["user_id"] == user.pk
    assert claims["preferred_username"] == claims["username"] == "alice"
    assert claims["email"] == "alice@example.com"
    assert claims["administrator"] is True
    assert claims["scopes"] == ["certificates:read"]
    assert claims["filters"] == ["content_org:edX", "user:me"]
    assert claims["is_restricted"] is True
    assert claims["exp"] - claims["iat"] == 60
    assert claims["version"] == "1.2.0"


def test_default_claims(learner):
    claims = decode(mint_jwt(learner))
    assert claims["scopes"] == ["read", "write", "profile", "email"]
    assert claims["filters"] == []
    assert claims["is_restricted"] is False
    assert claims["administrator"] is False


def test_jwt_header_uses_the_configured_prefix():
    assert jwt_header("abc") == "JWT abc"


class ScopedView(APIView):
    """What a family view that needs a scope and a ``user:me`` filter looks like."""

    authentication_classes = [JwtAuthentication]
    permission_classes = [IsAuthenticated, JwtHasScope, JwtHasUserFilterForRequestedUser]
    required_scopes = ["certificates:read"]

    def get(self, request, username):
        return Response({"username": request.user.username})


class RestrictedOnlyView(ScopedView):
    permission_classes = [IsAuthenticated, JwtRestrictedApplication]


class UnrestrictedOnlyView(ScopedView):
    permission_classes = [IsAuthenticated, NotJwtRestrictedApplication]


def call(view_class, token: str, username: str = "learner"):
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=jwt_header(token))
    return view_class.as_view()(request, username=username)


def test_token_authenticates_through_jwt_authentication(learner):
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=jwt_header(mint_jwt(learner)))
    user, token = JwtAuthentication().authenticate(request)
    assert user == learner
    assert decode(token)["username"] == "learner"


def test_scope_and_user_filter_are_honoured(learner):
    assert call(ScopedView, mint_jwt(learner, scopes=["certificates:read"], filters=["user:me"])).status_code == 200


def test_missing_scope_is_refused(learner):
    assert call(ScopedView, mint_jwt(learner, scopes=["read"], filters=["user:me"])).status_code == 403


def test_user_filter_for_someone_else_is_refused(learner, other_learner):
    token = mint_jwt(learner, scopes=["certificates:read"], filters=["user:me"])
    assert call(ScopedView, token, username="other").status_code == 403


@pytest.mark.parametrize("is_restricted, restricted_view, unrestricted_view", [(True, 200, 403), (False, 403, 200)])
def test_restricted_claim(learner, is_restricted, restricted_view, unrestricted_view):
    token = mint_jwt(learner, is_restricted=is_restricted)
    assert call(RestrictedOnlyView, token).status_code == restricted_view
    assert call(UnrestrictedOnlyView, token).status_code == unrestricted_view


def test_expired_token_is_refused(learner):
    assert call(ScopedView, mint_jwt(learner, expires_in=-60)).status_code == 401


def test_token_of_another_issuer_is_refused(learner):
    stranger = {"ISSUER": "https://elsewhere.example", "AUDIENCE": "x",
                "SECRET_KEY": "not-our-secret-but-long-enough-for-hs256"}
    assert call(ScopedView, mint_jwt(learner, issuer=stranger)).status_code == 401


def test_tokens_of_edx_drf_extensions_test_helpers_authenticate_like_ours(learner):
    """The library's own token helper (what Open edX apps' tests use) and ``mint_jwt`` are both accepted.

    ``mint_jwt`` carries every claim of the library's payload, plus the LMS's (administrator, superuser...).
    """
    from edx_rest_framework_extensions.auth.jwt.tests.utils import generate_jwt, generate_latest_version_payload

    ours = decode(mint_jwt(learner, scopes=["certificates:read"], filters=["user:me"]))
    theirs = generate_latest_version_payload(learner, scopes=["certificates:read"], filters=["user:me"])
    assert set(theirs) <= set(ours)
    assert {key: ours[key] for key in ("iss", "aud", "preferred_username", "user_id", "email", "scopes", "filters")} \
        == {key: theirs[key] for key in ("iss", "aud", "preferred_username", "user_id", "email", "scopes", "filters")}
    for token in (generate_jwt(learner, scopes=["certificates:read"], filters=["user:me"]),
                  mint_jwt(learner, scopes=["certificates:read"], filters=["user:me"])):
        user, _ = JwtAuthentication().authenticate(APIRequestFactory().get("/", HTTP_AUTHORIZATION=jwt_header(token)))
        assert user == learner and decode(token)["scopes"] == ["certificates:read"]

"""``FamilyAPIView`` reads authentication and permission classes from settings at request time."""

from __future__ import annotations

from django.test import override_settings
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory

from openedx_learner_apis.conf import SESSION
from openedx_learner_apis.rest_api.common.permissions import IsOwnerOrStaffElse404
from openedx_learner_apis.rest_api.common.tokens import jwt_header, mint_jwt
from openedx_learner_apis.rest_api.common.views import FamilyAPIView


class WhoAmI(FamilyAPIView):
    family = "badges"
    permission_classes = [IsAuthenticated]

    def get(self, request, username=None):
        return Response({"username": request.user.username, "auth": type(request.successful_authenticator).__name__})


class OwnerOnly(WhoAmI):
    permission_classes = [IsOwnerOrStaffElse404]


def call(view_class, token_user=None, username="learner"):
    request = APIRequestFactory().get("/")
    if token_user is not None:
        request.META["HTTP_AUTHORIZATION"] = jwt_header(mint_jwt(token_user))
    return view_class.as_view()(request, username=username)


def test_default_authentication_accepts_a_jwt(learner):
    response = call(WhoAmI, token_user=learner)
    assert response.status_code == 200
    assert response.data == {"username": "learner", "auth": "JwtAuthentication"}


def test_anonymous_gets_401_with_the_jwt_challenge(db):
    response = call(WhoAmI)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("JWT")


def test_family_authentication_override(learner):
    with override_settings(OPENEDX_LEARNER_APIS={"AUTHENTICATION_CLASSES": {"badges": [SESSION]}}):
        response = call(WhoAmI, token_user=learner)
    assert response.status_code == 403, "the JWT is no longer looked at, and session auth has no challenge"


def test_other_family_override_does_not_apply(learner):
    with override_settings(OPENEDX_LEARNER_APIS={"AUTHENTICATION_CLASSES": {"mobile": []}}):
        assert call(WhoAmI, token_user=learner).status_code == 200


def test_view_default_permissions(learner, other_learner):
    assert call(OwnerOnly, token_user=learner).status_code == 200
    assert call(OwnerOnly, token_user=other_learner).status_code == 404


def test_family_permission_override(learner, other_learner):
    with override_settings(OPENEDX_LEARNER_APIS={"PERMISSION_CLASSES": {
            "badges": ["rest_framework.permissions.AllowAny"]}}):
        assert call(OwnerOnly, token_user=other_learner).status_code == 200
        assert call(OwnerOnly).status_code == 200

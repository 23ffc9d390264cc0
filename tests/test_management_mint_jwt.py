"""``manage.py mint_jwt``: prints a token (or a whole header) that the APIs accept."""

from __future__ import annotations

from io import StringIO

import jwt
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from rest_framework.test import APIRequestFactory


def mint(*args) -> str:
    out = StringIO()
    call_command("mint_jwt", *args, stdout=out)
    return out.getvalue().strip()


def claims(token: str) -> dict:
    return jwt.decode(token, settings.JWT_AUTH["JWT_SECRET_KEY"], algorithms=["HS256"],
                      audience=settings.JWT_AUTH["JWT_AUDIENCE"])


def test_prints_a_token_that_authenticates(learner):
    token = mint("learner")
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"JWT {token}")
    user, _ = JwtAuthentication().authenticate(request)
    assert user == learner


def test_scopes_filters_restricted_and_lifetime(learner):
    token = mint("learner", "--scope", "certificates:read", "--scope", "user:me", "--filter", "content_org:edX",
                 "--restricted", "--expires-in", "120")
    payload = claims(token)
    assert payload["scopes"] == ["certificates:read", "user:me"]
    assert payload["filters"] == ["content_org:edX"]
    assert payload["is_restricted"] is True
    assert payload["exp"] - payload["iat"] == 120


def test_defaults(learner):
    payload = claims(mint("learner"))
    assert payload["scopes"] == ["read", "write", "profile", "email"]
    assert payload["filters"] == []
    assert payload["is_restricted"] is False


def test_header_option(learner):
    header = mint("learner", "--header")
    prefix, token = header.split(" ")
    assert prefix == "JWT"
    assert claims(token)["username"] == "learner"


def test_unknown_user(db):
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        mint("ghost")


@pytest.mark.parametrize(("jwt_auth", "named"), [
    (None, "JWT_AUTH setting is missing"),
    ({"JWT_AUTH_HEADER_PREFIX": "JWT"}, "JWT_AUTH['JWT_ISSUERS']"),
    ({"JWT_ISSUERS": []}, "JWT_AUTH['JWT_ISSUERS']"),
    ({"JWT_ISSUERS": [{"ISSUER": "https://lms.example.com/oauth2", "AUDIENCE": "a"}]}, "SECRET_KEY"),
])
def test_missing_jwt_settings_are_a_command_error_naming_them(learner, monkeypatch, jwt_auth, named):
    if jwt_auth is None:
        monkeypatch.delattr(settings, "JWT_AUTH")
    else:
        monkeypatch.setattr(settings, "JWT_AUTH", jwt_auth)
    with pytest.raises(CommandError, match=named.replace("[", r"\[").replace("]", r"\]")):
        mint("learner")

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

"""The bearer class: django-oauth-toolkit access tokens when the extra is installed, inert otherwise."""

from __future__ import annotations

import importlib.util

import pytest
from rest_framework.authentication import BaseAuthentication
from rest_framework.test import APIRequestFactory

from openedx_learner_apis.contrib.oauth2 import BearerAuthenticationAllowInactiveUser

HAS_OAUTH2 = importlib.util.find_spec("oauth2_provider") is not None


def test_is_a_drf_authentication_class():
    assert issubclass(BearerAuthenticationAllowInactiveUser, BaseAuthentication)


@pytest.mark.skipif(HAS_OAUTH2, reason="django-oauth-toolkit is installed")
def test_without_oauth2_extra_it_authenticates_nobody():
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION="Bearer some-token")
    assert BearerAuthenticationAllowInactiveUser().authenticate(request) is None


@pytest.mark.skipif(not HAS_OAUTH2, reason="django-oauth-toolkit is not installed")
def test_with_oauth2_extra_it_is_the_toolkit_class():
    from oauth2_provider.contrib.rest_framework import OAuth2Authentication

    assert issubclass(BearerAuthenticationAllowInactiveUser, OAuth2Authentication)

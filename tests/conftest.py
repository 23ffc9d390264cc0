"""Fixtures shared by the whole suite."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from openedx_learner_apis.rest_api.common.tokens import jwt_header, mint_jwt


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with empty caches: rows are rolled back between tests, cached copies are not.

    The request cache (flags' answers, configuration rows) is emptied too: a test that calls
    functions directly runs outside a request, where nothing else empties it.
    """
    from django.core.cache import cache
    from edx_django_utils.cache import RequestCache

    cache.clear()
    RequestCache.clear_all_namespaces()
    yield
    cache.clear()
    RequestCache.clear_all_namespaces()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def make_user(db):
    """Create a user: ``make_user("alice", is_staff=True)``."""

    def _make_user(username="learner", *, password="password", **fields):
        fields.setdefault("email", f"{username}@example.com")
        return get_user_model().objects.create_user(username=username, password=password, **fields)

    return _make_user


@pytest.fixture
def case_twins_allowed():
    """Skip where the database cannot hold ``Bob`` and ``bob`` side by side (MariaDB's unique index)."""
    from django.db import connection

    if connection.vendor == "mysql":
        pytest.skip("MariaDB's case-insensitive unique index forbids usernames differing only in case")


@pytest.fixture
def learner(make_user):
    return make_user("learner")


@pytest.fixture
def other_learner(make_user):
    return make_user("other")


@pytest.fixture
def staff_user(make_user):
    return make_user("staff", is_staff=True)


@pytest.fixture
def jwt_client():
    """An API client authenticated with a freshly minted JWT: ``jwt_client(user, scopes=[...])``."""

    def _jwt_client(user, **token_kwargs):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=jwt_header(mint_jwt(user, **token_kwargs)))
        return client

    return _jwt_client


@pytest.fixture
def session_client():
    """An API client logged in through the session: ``session_client(user)``."""

    def _session_client(user):
        client = APIClient()
        client.force_login(user)
        return client

    return _session_client

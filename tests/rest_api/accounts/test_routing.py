"""The accounts family shares ``api/user/v1/`` with the profile image routes without shadowing them."""

from __future__ import annotations

import importlib

import pytest
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, include, path, resolve

import openedx_learner_apis.urls as learner_urls
from tests.robustness.openapi import assert_documented

pytestmark = pytest.mark.django_db

urlpatterns: list = []


@pytest.fixture
def mount(settings):
    """``mount(URL_PREFIXES)``: this module becomes the root URLconf with those prefixes."""
    global urlpatterns

    def _mount(prefixes: dict):
        global urlpatterns
        settings.OPENEDX_LEARNER_APIS = {"URL_PREFIXES": prefixes}
        importlib.reload(learner_urls)
        urlpatterns = [path("", include("openedx_learner_apis.urls"))]
        settings.ROOT_URLCONF = __name__
        clear_url_caches()

    yield _mount
    urlpatterns = []
    with override_settings(OPENEDX_LEARNER_APIS={}):
        importlib.reload(learner_urls)
    clear_url_caches()


def route(url: str) -> str:
    match = resolve(url)
    return f"{match.namespace}:{match.url_name}"


def test_default_prefixes_route_each_url_to_its_family():
    assert route("/api/user/v1/accounts/bob/image") == "accounts_profile_image_api:accounts_profile_image_api"
    assert route("/api/user/v1/accounts/bob") == "accounts_api:accounts_api"
    assert route("/api/user/v1/accounts") == "accounts_api:accounts_detail_api"
    assert route("/api/user/v1/preferences/bob") == "accounts_api:preferences_api"
    # A username the pattern refuses: each family's own JSON 404, never the other's.
    assert resolve("/api/user/v1/accounts/a\nb").namespace == "accounts_api"
    assert resolve("/api/user/v1/accounts/a\nb/image").namespace == "accounts_profile_image_api"


def test_a_none_prefix_turns_accounts_off_and_keeps_the_image_route(mount):
    mount({"accounts": None})
    assert route("/api/user/v1/accounts/bob/image") == "accounts_profile_image_api:accounts_profile_image_api"
    for url in ("/api/user/v1/accounts/bob", "/api/user/v1/accounts", "/api/user/v1/preferences/bob"):
        with pytest.raises(Resolver404):
            resolve(url)


def test_accounts_stay_when_the_image_routes_are_off(mount):
    mount({"profile_images": None})
    assert route("/api/user/v1/accounts/bob") == "accounts_api:accounts_api"
    with pytest.raises(Resolver404):
        resolve("/api/user/v1/accounts/bob/image")


def test_the_loose_404_patterns_leave_a_hosts_deeper_routes_alone(mount):
    mount({"profile_images": None})
    with pytest.raises(Resolver404):
        resolve("/api/user/v1/accounts/bob/deactivate/")


@pytest.mark.parametrize("method", ["get", "patch"])
@pytest.mark.parametrize("url, template", [
    ("/api/user/v1/accounts/a%0Ab", "/api/user/v1/accounts/{username}"),
    ("/api/user/v1/accounts/%22Z", "/api/user/v1/accounts/{username}"),
    ("/api/user/v1/preferences/a%0Ab", "/api/user/v1/preferences/{username}"),
])
def test_a_username_the_pattern_refuses_is_a_documented_json_404(method, url, template, learner, jwt_client):
    response = getattr(jwt_client(learner), method)(url)
    assert response.status_code == 404
    assert "developer_message" in response.json()
    assert_documented(response, method, template)

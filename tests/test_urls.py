"""``URL_PREFIXES``: custom prefixes move a family, ``None`` turns it off, namespaces stay Open edX's.

The tests mount ``openedx_learner_apis.urls`` the way a plain Django host does
(``path("", include("openedx_learner_apis.urls"))``, below as this module's
``urlpatterns``) and re-import it after changing the settings.
"""

from __future__ import annotations

import importlib
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType

import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import NoReverseMatch, Resolver404, clear_url_caches, include, path, re_path, resolve, reverse

import openedx_learner_apis.urls as learner_urls
from openedx_learner_apis.conf import FAMILIES, learner_apis_settings
from openedx_learner_apis.urls import FAMILY_URLCONFS, module_exists

urlpatterns: list = []

BADGES_URLS = FAMILY_URLCONFS["badges"][0]


def fake_view(request, username):
    return HttpResponse(username)


@pytest.fixture
def fake_badges(monkeypatch):
    """Stand a tiny URL module in for the badges family, so these tests do not depend on its views."""
    module = ModuleType(BADGES_URLS)
    module.__spec__ = ModuleSpec(BADGES_URLS, None)
    module.urlpatterns = [re_path(rf"^assertions/user/{learner_apis_settings.USERNAME_PATTERN}/$", fake_view,
                                  name="user_assertions")]
    monkeypatch.setitem(sys.modules, BADGES_URLS, module)
    return module


@pytest.fixture
def mount(settings):
    """``mount(URL_PREFIXES)``: re-import the URLconf with these prefixes and make this module the root."""
    global urlpatterns

    def _mount(prefixes: dict | None = None):
        global urlpatterns
        settings.OPENEDX_LEARNER_APIS = {"URL_PREFIXES": prefixes} if prefixes is not None else {}
        importlib.reload(learner_urls)
        urlpatterns = [path("", include("openedx_learner_apis.urls"))]
        settings.ROOT_URLCONF = __name__
        clear_url_caches()

    yield _mount
    urlpatterns = []
    with override_settings(OPENEDX_LEARNER_APIS={}):
        importlib.reload(learner_urls)
    clear_url_caches()


def test_default_prefix(fake_badges, mount):
    mount()
    match = resolve("/api/badges/v1/assertions/user/alice/")
    assert match.func is fake_view
    assert match.namespace == "badges_api"
    assert match.kwargs == {"username": "alice"}
    assert reverse("badges_api:user_assertions", kwargs={"username": "bob"}) == "/api/badges/v1/assertions/user/bob/"


def test_custom_prefix_moves_the_family(fake_badges, mount):
    mount({"badges": "learner/badges/"})
    assert resolve("/learner/badges/assertions/user/alice/").func is fake_view
    assert reverse("badges_api:user_assertions", kwargs={"username": "a"}) == "/learner/badges/assertions/user/a/"
    with pytest.raises(Resolver404):
        resolve("/api/badges/v1/assertions/user/alice/")


def test_empty_prefix_mounts_at_the_root(fake_badges, mount):
    mount({"badges": ""})
    assert resolve("/assertions/user/alice/").func is fake_view


def test_none_turns_the_family_off(fake_badges, mount):
    mount({"badges": None})
    with pytest.raises(Resolver404):
        resolve("/api/badges/v1/assertions/user/alice/")
    with pytest.raises(NoReverseMatch):
        reverse("badges_api:user_assertions", kwargs={"username": "alice"})


def test_prefix_is_literal_not_a_regex(fake_badges, mount):
    mount({"badges": "api/v1.0/"})
    assert resolve("/api/v1.0/assertions/user/alice/").func is fake_view
    with pytest.raises(Resolver404):
        resolve("/api/v1x0/assertions/user/alice/")


def test_routes_are_anchored(fake_badges, mount):
    mount()
    with pytest.raises(Resolver404):
        resolve("/x/api/badges/v1/assertions/user/alice/")
    with pytest.raises(Resolver404):
        resolve("/api/badges/v1/assertions/user/alice/junk")


def test_username_pattern_setting_is_what_routes_use(fake_badges, mount):
    mount()
    assert resolve("/api/badges/v1/assertions/user/a.b@c+d-e_f/").kwargs == {"username": "a.b@c+d-e_f"}
    with pytest.raises(Resolver404):
        resolve("/api/badges/v1/assertions/user/a%2Fb/")


def test_family_without_a_url_module_is_skipped(monkeypatch, mount):
    monkeypatch.setitem(sys.modules, BADGES_URLS, None)  # what an absent module looks like to find_spec
    mount()
    assert "badges_api" not in {pattern.namespace for pattern in learner_urls.urlpatterns}


def test_module_exists():
    assert module_exists("openedx_learner_apis.urls")
    assert not module_exists("openedx_learner_apis.rest_api.no_such_family.urls")
    assert not module_exists("no_such_package.urls")


def test_every_family_has_a_urlconf_and_a_prefix():
    assert set(FAMILY_URLCONFS) == set(FAMILIES) == set(learner_apis_settings.URL_PREFIXES)


def test_open_edx_namespaces():
    namespaces = {family: namespace for family, (_, namespace) in FAMILY_URLCONFS.items()}
    assert namespaces == {
        "profile_images": "accounts_profile_image_api",
        "profile_images_legacy": "profile_images",
        "accounts": "accounts_api",
        "badges": "badges_api",
        "certificates": "certificates_api",
        "mobile": "mobile_api",
        "courseware": "courseware_api",
    }


@pytest.mark.parametrize("family", [family for family, (module, _) in FAMILY_URLCONFS.items() if module_exists(module)])
def test_each_built_family_is_mounted_and_can_be_turned_off(family, mount):
    namespace = FAMILY_URLCONFS[family][1]
    mount()
    assert namespace in {pattern.namespace for pattern in learner_urls.urlpatterns}
    mount({family: None})
    assert namespace not in {pattern.namespace for pattern in learner_urls.urlpatterns}
    assert not hasattr(importlib.import_module(FAMILY_URLCONFS[family][0]), "app_name"), "the include names it"


def test_reload_restores_the_default_mount():
    assert {pattern.namespace for pattern in learner_urls.urlpatterns} == {
        namespace for module, namespace in FAMILY_URLCONFS.values() if module_exists(module)}

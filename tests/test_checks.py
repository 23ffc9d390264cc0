"""System checks: each misconfiguration gives its own id and a hint."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import checks as django_checks
from django.test import override_settings

from openedx_learner_apis import checks
from openedx_learner_apis.checks import check_settings


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def configured(**keys):
    return override_settings(OPENEDX_LEARNER_APIS=keys)


def test_test_settings_pass():
    assert check_settings() == []


def test_check_is_registered_with_django():
    assert check_settings in django_checks.registry.registry.get_checks()


def test_e001_unknown_key():
    with configured(URL_PREFIX={}):
        messages = check_settings()
    assert ids(messages) == ["openedx_learner_apis.E001"]
    assert "URL_PREFIX" in messages[0].msg
    assert "URL_PREFIXES" in messages[0].hint


@pytest.mark.parametrize("keys", [
    {"PAGINATION_CLASS": "no.such.Pagination"},
    {"HOOKS": "openedx_learner_apis.hooks.NoSuchHooks"},
    {"AUTHENTICATION_CLASSES": {"badges": ["no.such.Auth"]}},
    {"PERMISSION_CLASSES": {"mobile": ["no.such.Permission"]}},
])
def test_e002_dotted_path_that_does_not_import(keys):
    with configured(**keys):
        messages = check_settings()
    assert ids(messages) == ["openedx_learner_apis.E002"]
    assert "could not import" in messages[0].msg


def test_e002_reports_every_bad_key():
    with configured(PAGINATION_CLASS="no.Such", HOOKS="no.Such"):
        assert ids(check_settings()) == ["openedx_learner_apis.E002"] * 2


def test_e003_unknown_family_in_url_prefixes():
    with configured(URL_PREFIXES={"badge": "api/badge/"}):
        messages = check_settings()
    assert ids(messages) == ["openedx_learner_apis.E003"]
    assert "'badge'" in messages[0].msg


@pytest.mark.parametrize("prefix", ["/api/badges/v1/", "api/badges/v1", 42, ["api/"]])
def test_e004_invalid_prefix(prefix):
    with configured(URL_PREFIXES={"badges": prefix}):
        messages = check_settings()
    assert ids(messages) == ["openedx_learner_apis.E004"]
    assert "'badges'" in messages[0].msg


@pytest.mark.parametrize("prefix", [None, "", "learner/badges/"])
def test_valid_prefixes(prefix):
    with configured(URL_PREFIXES={"badges": prefix}):
        assert check_settings() == []


@pytest.mark.parametrize("key", ["USERNAME_PATTERN", "COURSE_KEY_PATTERN", "USAGE_KEY_PATTERN"])
def test_e005_invalid_regex(key):
    with configured(**{key: "(?P<broken"}):
        messages = check_settings()
    assert ids(messages) == ["openedx_learner_apis.E005"]
    assert key in messages[0].msg


def test_e005_also_for_a_legacy_top_level_pattern():
    with override_settings(USERNAME_PATTERN="[unclosed"):
        assert ids(check_settings()) == ["openedx_learner_apis.E005"]


def test_e006_storage_alias_missing():
    with configured(PROFILE_IMAGE_STORAGE="avatars"):
        messages = check_settings()
    assert ids(messages) == ["openedx_learner_apis.E006"]
    assert "'avatars'" in messages[0].msg


def test_custom_storage_alias_present():
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "avatars": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, OPENEDX_LEARNER_APIS={"PROFILE_IMAGE_STORAGE": "avatars"}):
        assert check_settings() == []


def test_w001_default_alias_missing_falls_back_with_a_warning():
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        messages = check_settings()
    assert ids(messages) == ["openedx_learner_apis.W001"]
    assert messages[0].level == django_checks.WARNING


def test_e007_waffle_not_installed(monkeypatch):
    host = SimpleNamespace(INSTALLED_APPS=["rest_framework", "openedx_learner_apis"],
                           STORAGES={"profile_image": {}, "default": {}})
    monkeypatch.setattr(checks, "settings", host)
    messages = check_settings()
    assert ids(messages) == ["openedx_learner_apis.E007"]
    assert "waffle" in messages[0].hint


def test_every_message_has_a_hint_or_says_what_to_fix():
    with configured(PAGINATION_CLASS="no.Such", URL_PREFIXES={"nope": "x/", "badges": "/x"},
                    PROFILE_IMAGE_STORAGE="avatars"):
        messages = check_settings()
    assert sorted(ids(messages)) == ["openedx_learner_apis.E002", "openedx_learner_apis.E003",
                                     "openedx_learner_apis.E004", "openedx_learner_apis.E006"]
    assert all(message.hint for message in messages)


def test_jwt_check_passes_with_the_test_settings():
    assert checks.check_jwt_settings() == []


def test_jwt_check_is_registered_with_django():
    assert checks.check_jwt_settings in django_checks.registry.registry.get_checks()


@pytest.mark.parametrize("jwt_auth", [None, {}, {"JWT_ISSUERS": []}, {"JWT_ISSUER": "https://lms/oauth2"}],
                         ids=["missing", "empty", "no-issuers", "deprecated-single-issuer"])
def test_e008_jwt_auth_without_issuers(jwt_auth, monkeypatch):
    if jwt_auth is None:
        monkeypatch.setattr(checks, "settings", SimpleNamespace(INSTALLED_APPS=[]))
        messages = checks.check_jwt_settings()
    else:
        with override_settings(JWT_AUTH=jwt_auth):
            messages = checks.check_jwt_settings()
    assert ids(messages) == ["openedx_learner_apis.E008"]
    assert '"JWT_ISSUERS": [{"ISSUER":' in messages[0].hint, "the hint shows the settings to add"
    assert "JWT_PUBLIC_SIGNING_JWK_SET" in messages[0].hint


def test_e009_issuer_without_audience_or_secret():
    with override_settings(JWT_AUTH={"JWT_ISSUERS": [{"ISSUER": "https://lms/oauth2"}]}):
        messages = checks.check_jwt_settings()
    assert ids(messages) == ["openedx_learner_apis.E009"]
    assert "'AUDIENCE'" in messages[0].msg and "'SECRET_KEY'" in messages[0].msg


@pytest.mark.parametrize("grants", [
    {"certificates": ["certificates:read"]},
    {"profile_images_legacy": ["profile_images:write"]},
    {"badge": ["badges:read"]},
    {"mobile": "mobile:read"},
    {"mobile": []},
    {"mobile": {"get": ["mobile:read"]}},
    ["mobile"],
])
def test_e010_bad_restricted_application_grants(grants):
    with configured(RESTRICTED_APPLICATION_SCOPES=grants):
        messages = checks.check_jwt_settings()
    assert ids(messages) == ["openedx_learner_apis.E010"]
    assert messages[0].hint


@pytest.mark.parametrize("grants", [
    {"mobile": ["mobile:read"]},
    {"mobile": {"read": ["mobile:read"], "write": ["mobile:write"]}, "profile_images": ["profile_images:write"]},
])
def test_valid_restricted_application_grants(grants):
    with configured(RESTRICTED_APPLICATION_SCOPES=grants):
        assert checks.check_jwt_settings() == []


def test_w003_placeholder_hash_seed_warns_and_is_an_error_under_deploy():
    with configured():
        assert ids(checks.check_hash_seed()) == ["openedx_learner_apis.W003"]
        deploy = checks.check_hash_seed_deploy()
    assert ids(deploy) == ["openedx_learner_apis.E011"]
    assert "PROFILE_IMAGE_HASH_SEED" in deploy[0].hint
    assert checks.check_hash_seed_deploy in django_checks.registry.registry.get_checks(include_deployment_checks=True)
    assert checks.check_hash_seed_deploy not in django_checks.registry.registry.get_checks()
    with configured(PROFILE_IMAGE_HASH_SEED="a-long-random-seed-of-our-own"):
        assert checks.check_hash_seed() == [] and checks.check_hash_seed_deploy() == []


def test_w004_profile_images_in_the_project_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages, MEDIA_ROOT="", BASE_DIR=tmp_path):
        messages = checks.check_profile_image_location()
    assert ids(messages) == ["openedx_learner_apis.W004"]
    assert "MEDIA_ROOT" in messages[0].hint
    with override_settings(STORAGES=storages, MEDIA_ROOT=str(tmp_path / "media"), BASE_DIR=tmp_path):
        assert checks.check_profile_image_location() == []


@pytest.mark.parametrize("backend", ["django.core.cache.backends.locmem.LocMemCache",
                                     "django.core.cache.backends.dummy.DummyCache"])
def test_w005_process_local_cache_without_debug(backend):
    caches = {"default": {"BACKEND": backend}}
    with override_settings(CACHES=caches, DEBUG=False):
        messages = checks.check_shared_cache()
    assert ids(messages) == ["openedx_learner_apis.W005"]
    assert "Redis" in messages[0].hint
    with override_settings(CACHES=caches, DEBUG=True):
        assert checks.check_shared_cache() == []
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}},
                           DEBUG=False):
        assert checks.check_shared_cache() == []


def test_e008_jwt_auth_missing_entirely(monkeypatch):
    from django.conf import settings

    monkeypatch.delattr(settings, "JWT_AUTH")
    messages = checks.check_jwt_settings()
    assert "openedx_learner_apis.E008" in ids(messages)
    assert "JWT_AUTH is not set" in messages[0].msg and "JWT_ISSUERS" in messages[0].hint

"""The ``OPENEDX_LEARNER_APIS`` settings object: defaults, overrides, legacy settings, imports, reload."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from edx_rest_framework_extensions.auth.session.authentication import SessionAuthenticationAllowInactiveUser
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated

from openedx_learner_apis import conf
from openedx_learner_apis.conf import DEFAULTS, LEGACY_SETTINGS, learner_apis_settings, perform_import
from openedx_learner_apis.contrib.oauth2 import BearerAuthenticationAllowInactiveUser
from openedx_learner_apis.hooks import DefaultHooks
from openedx_learner_apis.rest_api.common.authentication import JwtAuthentication
from openedx_learner_apis.rest_api.common.pagination import DefaultPagination

SETTINGS_DOC = Path(__file__).resolve().parent.parent / "docs" / "settings.rst"


class CustomHooks(DefaultHooks):
    """A host's hooks provider, imported by dotted path in the tests below."""


def configured(**keys):
    """``override_settings`` for the ``OPENEDX_LEARNER_APIS`` dict."""
    return override_settings(OPENEDX_LEARNER_APIS=keys)


def test_every_default_is_returned_when_nothing_is_configured():
    from django.conf import settings

    for key, default in DEFAULTS.items():
        if key in conf.IMPORT_STRINGS or (key in LEGACY_SETTINGS and hasattr(settings, key)):
            continue
        assert getattr(learner_apis_settings, key) == default, key


def test_every_key_is_documented():
    text = SETTINGS_DOC.read_text()
    documented = set(re.findall(r"^``([A-Z0-9_]+)``$", text, flags=re.MULTILINE))
    assert sorted(set(DEFAULTS) - documented) == [], "add the key to docs/settings.rst"
    assert sorted(documented - set(DEFAULTS)) == [], "docs/settings.rst documents a key that does not exist"
    marked_legacy = set(re.findall(r"^``([A-Z0-9_]+)``\n +\*Legacy\.\*", text, flags=re.MULTILINE))
    assert marked_legacy == set(LEGACY_SETTINGS), "mark exactly the LEGACY_SETTINGS keys *Legacy.*"


def test_documented_defaults():
    assert learner_apis_settings.PROFILE_IMAGE_MAX_BYTES == 1024 * 1024
    assert learner_apis_settings.PROFILE_IMAGE_MIN_BYTES == 100
    assert learner_apis_settings.PROFILE_IMAGE_MAX_PIXELS == 36_000_000
    assert learner_apis_settings.PROFILE_IMAGE_SIZES_MAP == {"full": 500, "large": 120, "medium": 50, "small": 30}
    assert learner_apis_settings.URL_PREFIXES["courseware"] == "api/courseware/"
    assert learner_apis_settings.PAGINATION_CLASS is DefaultPagination
    assert learner_apis_settings.PERMISSION_CLASSES == {}


def test_user_value_overrides_default():
    with configured(PROFILE_IMAGE_MAX_BYTES=2048, ENROLLMENTS_STATUS_DAYS=7):
        assert learner_apis_settings.PROFILE_IMAGE_MAX_BYTES == 2048
        assert learner_apis_settings.ENROLLMENTS_STATUS_DAYS == 7
        assert learner_apis_settings.PROFILE_IMAGE_MIN_BYTES == DEFAULTS["PROFILE_IMAGE_MIN_BYTES"]


def test_none_as_whole_setting_means_defaults():
    with override_settings(OPENEDX_LEARNER_APIS=None):
        assert learner_apis_settings.ENROLLMENTS_STATUS_LIMIT == 500


def test_missing_setting_means_defaults(settings):
    del settings.OPENEDX_LEARNER_APIS
    learner_apis_settings.reload()
    assert learner_apis_settings.user_settings == {}
    assert learner_apis_settings.ENROLLMENTS_STATUS_LIMIT == 500


@pytest.mark.parametrize("key, value", [
    ("PROFILE_IMAGE_SIZES_MAP", {"full": 400, "small": 20}),
    ("USERNAME_PATTERN", r"(?P<username>[a-z]+)"),
    ("PROFILE_IMAGE_HASH_SEED", "host-seed"),
    ("COURSE_KEY_PATTERN", r"(?P<course_key_string>[^/]+)"),
    ("PARENTAL_CONSENT_AGE_LIMIT", 16),
])
def test_legacy_top_level_setting_is_the_default(key, value):
    assert key in LEGACY_SETTINGS
    with override_settings(**{key: value}):
        assert getattr(learner_apis_settings, key) == value


def test_legacy_lms_root_url_of_test_settings_is_used():
    assert learner_apis_settings.LMS_ROOT_URL == "http://testserver"


def test_own_key_wins_over_legacy_top_level_setting():
    with override_settings(PROFILE_IMAGE_SIZES_MAP={"full": 1}, OPENEDX_LEARNER_APIS={
            "PROFILE_IMAGE_SIZES_MAP": {"full": 2}}):
        assert learner_apis_settings.PROFILE_IMAGE_SIZES_MAP == {"full": 2}


def test_non_legacy_top_level_setting_is_ignored():
    assert "PROFILE_IMAGE_MAX_PIXELS" not in LEGACY_SETTINGS
    with override_settings(PROFILE_IMAGE_MAX_PIXELS=5):
        assert learner_apis_settings.PROFILE_IMAGE_MAX_PIXELS == 36_000_000


def test_url_prefixes_merge_over_defaults():
    with configured(URL_PREFIXES={"badges": None, "courseware": "learning/"}):
        prefixes = learner_apis_settings.URL_PREFIXES
    assert prefixes["badges"] is None
    assert prefixes["courseware"] == "learning/"
    assert prefixes["mobile"] == "api/mobile/"
    assert set(prefixes) == set(DEFAULTS["URL_PREFIXES"])


def test_default_authentication_classes_are_imported():
    classes = learner_apis_settings.authentication_classes("certificates")
    assert classes == [JwtAuthentication, BearerAuthenticationAllowInactiveUser, SessionAuthenticationAllowInactiveUser]


def test_family_authentication_override_keeps_default_for_others():
    session = "rest_framework.authentication.SessionAuthentication"
    with configured(AUTHENTICATION_CLASSES={"badges": [session]}):
        from rest_framework.authentication import SessionAuthentication

        assert learner_apis_settings.authentication_classes("badges") == [SessionAuthentication]
        assert learner_apis_settings.authentication_classes("mobile")[0] is JwtAuthentication


def test_default_authentication_can_be_replaced():
    with configured(AUTHENTICATION_CLASSES={"default": [conf.SESSION]}):
        assert learner_apis_settings.authentication_classes("courseware") == [SessionAuthenticationAllowInactiveUser]


def test_permission_classes_default_and_override():
    assert learner_apis_settings.permission_classes("badges", [AllowAny]) == [AllowAny]
    with configured(PERMISSION_CLASSES={"badges": ["rest_framework.permissions.IsAdminUser"]}):
        assert learner_apis_settings.permission_classes("badges", [AllowAny]) == [IsAdminUser]
        assert learner_apis_settings.permission_classes("mobile", [IsAuthenticated]) == [IsAuthenticated]


def test_dotted_path_keys_are_imported():
    with configured(PAGINATION_CLASS="rest_framework.pagination.LimitOffsetPagination",
                    HOOKS="tests.test_conf.CustomHooks"):
        assert learner_apis_settings.PAGINATION_CLASS is LimitOffsetPagination
        assert isinstance(learner_apis_settings.hooks(), CustomHooks)


def test_default_hooks():
    assert type(learner_apis_settings.hooks()) is DefaultHooks


def test_raw_returns_the_dotted_path():
    assert learner_apis_settings.raw("PAGINATION_CLASS") == DEFAULTS["PAGINATION_CLASS"]


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("rest_framework.permissions.AllowAny", AllowAny),
    (["rest_framework.permissions.AllowAny"], [AllowAny]),
    (("rest_framework.permissions.AllowAny",), [AllowAny]),
    ({"x": ["rest_framework.permissions.AllowAny"]}, {"x": [AllowAny]}),
    (AllowAny, AllowAny),
])
def test_perform_import(value, expected):
    assert perform_import(value, "KEY") == expected


def test_unknown_key_is_improperly_configured():
    with configured(URL_PREFIX={"badges": None}):
        with pytest.raises(ImproperlyConfigured, match=r"unknown keys \['URL_PREFIX'\]"):
            learner_apis_settings.PROFILE_IMAGE_MAX_BYTES  # noqa: B018


@pytest.mark.parametrize("keys", [
    {"PAGINATION_CLASS": "no.such.module.Pagination"},
    {"PAGINATION_CLASS": "rest_framework.pagination.NoSuchClass"},
    {"HOOKS": "not_a_dotted_path"},
])
def test_path_that_does_not_import_is_improperly_configured(keys):
    key = next(iter(keys))
    with configured(**keys):
        with pytest.raises(ImproperlyConfigured, match=rf"OPENEDX_LEARNER_APIS\['{key}'\]: could not import"):
            getattr(learner_apis_settings, key)


def test_bad_path_inside_family_list_names_the_family():
    with configured(PERMISSION_CLASSES={"badges": ["nope.Nope"]}):
        with pytest.raises(ImproperlyConfigured, match=r"PERMISSION_CLASSES\.badges"):
            learner_apis_settings.PERMISSION_CLASSES  # noqa: B018


def test_invalid_attribute_is_attribute_error():
    with pytest.raises(AttributeError, match="NOT_A_KEY"):
        learner_apis_settings.NOT_A_KEY  # noqa: B018
    with pytest.raises(AttributeError):
        learner_apis_settings.raw("NOT_A_KEY")
    with pytest.raises(AttributeError):
        learner_apis_settings._private  # noqa: B018


def test_values_reload_when_override_settings_ends():
    assert learner_apis_settings.ENROLLMENTS_STATUS_DAYS == 30
    with configured(ENROLLMENTS_STATUS_DAYS=3):
        assert learner_apis_settings.ENROLLMENTS_STATUS_DAYS == 3
    assert learner_apis_settings.ENROLLMENTS_STATUS_DAYS == 30


def test_values_reload_when_a_legacy_setting_changes():
    assert learner_apis_settings.USERNAME_PATTERN == DEFAULTS["USERNAME_PATTERN"]
    with override_settings(USERNAME_PATTERN=r"(?P<username>\d+)"):
        assert learner_apis_settings.USERNAME_PATTERN == r"(?P<username>\d+)"
    assert learner_apis_settings.USERNAME_PATTERN == DEFAULTS["USERNAME_PATTERN"]


def test_unrelated_setting_change_keeps_the_cache():
    learner_apis_settings.ENROLLMENTS_STATUS_DAYS  # noqa: B018
    conf.reload_learner_apis_settings(setting="TIME_ZONE")
    assert "ENROLLMENTS_STATUS_DAYS" in learner_apis_settings._cached
    conf.reload_learner_apis_settings(setting="OPENEDX_LEARNER_APIS")
    assert learner_apis_settings._cached == {}


def test_reload_receiver_is_connected_once():
    from django.core.signals import setting_changed

    conf.connect_reload()
    conf.connect_reload()
    ours = [entry for entry in setting_changed.receivers if entry[0][0] == "openedx_learner_apis.conf.reload"]
    assert len(ours) == 1

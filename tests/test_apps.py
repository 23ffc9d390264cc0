"""Open edX plugin discovery, and ``apps.py`` staying importable while host settings load.

The host projects run in subprocesses, so the settings of this test run cannot help them:
their only way to find the app is its ``lms.djangoapp`` entry point.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.apps import apps

from openedx_learner_apis.apps import LearnerApisConfig
from openedx_learner_apis.settings import common, production, test as test_plugin_settings
from openedx_learner_apis.urls import FAMILY_URLCONFS, module_exists

# A request path of each family, as the Open edX clients call it.
SAMPLE_PATHS = {
    "profile_images": "/api/user/v1/accounts/alice/image",
    "profile_images_legacy": "/api/profile_images/v1/alice/upload",
    "accounts": "/api/user/v1/accounts/alice",
    "badges": "/api/badges/v1/assertions/user/alice/",
    "certificates": "/api/certificates/v0/certificates/alice/",
    "mobile": "/api/mobile/v1/my_user_info",
    "courseware": "/api/courseware/course/course-v1:edX+DemoX+Demo_Course",
}

HOST_SETTINGS = '''
"""A host that knows nothing about openedx_learner_apis but plugin discovery."""
from edx_django_utils.plugins import add_plugins, get_plugin_apps

SECRET_KEY = "host"
USE_TZ = True
ROOT_URLCONF = "host_urls"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# Every Open edX LMS has its JWT issuers (the app's check E008 requires them).
JWT_AUTH = {"JWT_ISSUERS": [{"ISSUER": "https://lms/oauth2", "AUDIENCE": "lms", "SECRET_KEY": "lms-secret"}]}
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions"]
INSTALLED_APPS += get_plugin_apps("lms.djangoapp")
add_plugins(__name__, "lms.djangoapp", "common")
'''

HOST_URLS = '''
from importlib import import_module

from edx_django_utils.plugins import plugin_urls

# get_plugin_url_patterns("lms.djangoapp"), less a plugin whose URL module imports edx-platform
# (edx-completion's API), which no host outside the LMS can import.
urlpatterns = []
for module_path, url_config in plugin_urls._iter_plugins("lms.djangoapp"):
    try:
        import_module(module_path)
    except Exception:
        continue
    urlpatterns.append(plugin_urls._get_url(module_path, url_config))
'''

HOST_PROBE = '''
import json, sys
import django
from django.conf import settings
django.setup()
from django.core import checks
from django.urls import Resolver404, resolve
from openedx_learner_apis.urls import FAMILY_URLCONFS, module_exists

paths = json.loads(sys.argv[1])
resolved = {}
for family, path in paths.items():
    try:
        match = resolve(path)
    except Resolver404:
        resolved[family] = None
    else:
        resolved[family] = [match.func.__module__, match.namespace]
print(json.dumps({
    "installed_apps": list(settings.INSTALLED_APPS),
    "has_setting": hasattr(settings, "OPENEDX_LEARNER_APIS"),
    "urlconfs": [getattr(p.urlconf_name, "__name__", p.urlconf_name) for p in __import__("host_urls").urlpatterns],
    "resolved": resolved,
    "errors": [m.id for m in checks.run_checks() if m.level >= checks.ERROR],
}))
'''


def clean_env(**extra) -> dict:
    """The environment minus this test run's Django settings."""
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    env.update(extra)
    return env


def run_python(code: str, *args: str, cwd: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=clean_env(**env),
                          capture_output=True, text=True, timeout=120, check=False)


def test_apps_module_imports_without_settings(tmp_path):
    code = textwrap.dedent('''
        import sys
        import openedx_learner_apis.apps as apps_module
        from django.conf import settings
        assert not settings.configured
        heavy = [name for name in ("rest_framework", "openedx_learner_apis.conf", "openedx_learner_apis.models",
                                   "edx_django_utils", "waffle") if name in sys.modules]
        assert not heavy, heavy
        print(apps_module.LearnerApisConfig.plugin_app["url_config"]["lms.djangoapp"]["relative_path"])
    ''')
    result = run_python(code, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "urls"


def test_plugin_discovery_mounts_the_app_in_a_host_that_knows_nothing_else(tmp_path):
    (tmp_path / "host_settings.py").write_text(HOST_SETTINGS)
    (tmp_path / "host_urls.py").write_text(HOST_URLS)
    result = run_python(HOST_PROBE, json.dumps(SAMPLE_PATHS), cwd=tmp_path,
                        DJANGO_SETTINGS_MODULE="host_settings", PYTHONPATH=str(tmp_path))
    assert result.returncode == 0, result.stderr
    host = json.loads(result.stdout)

    assert "openedx_learner_apis.apps.LearnerApisConfig" in host["installed_apps"]
    # plugin_settings of settings/common.py added what the app needs.
    assert {"rest_framework", "waffle"} <= set(host["installed_apps"])
    assert host["has_setting"]
    assert "openedx_learner_apis.urls" in host["urlconfs"]
    assert host["errors"] == []
    built = [family for family, (module, _) in FAMILY_URLCONFS.items() if module_exists(module)]
    for family in built:
        module, namespace = host["resolved"][family]
        assert module.startswith("openedx_learner_apis.rest_api."), (family, module)
        assert namespace.split(":")[0] == FAMILY_URLCONFS[family][1]
    for family in set(FAMILY_URLCONFS) - set(built):
        assert host["resolved"][family] is None


def test_entry_point_is_declared():
    from importlib.metadata import entry_points

    found = [ep for ep in entry_points(group="lms.djangoapp") if ep.name == "openedx_learner_apis"]
    assert [ep.value for ep in found] == ["openedx_learner_apis.apps:LearnerApisConfig"]


def test_app_config():
    config = apps.get_app_config("openedx_learner_apis")
    assert isinstance(config, LearnerApisConfig)
    assert config.default_auto_field == "django.db.models.BigAutoField"


def test_plugin_app_declares_urls_and_settings_for_the_lms():
    plugin = LearnerApisConfig.plugin_app
    urls = plugin["url_config"]["lms.djangoapp"]  # edx-django-utils adds "app_name" to it once it has read it
    assert (urls["namespace"], urls["regex"], urls["relative_path"]) == ("", r"^", "urls")
    assert set(plugin["settings_config"]["lms.djangoapp"]) == {"common", "production", "test"}


class FakeSettings:
    """The attribute bag ``plugin_settings(settings)`` receives from edx-django-utils."""

    def __init__(self, **values):
        self.__dict__.update(values)


def test_common_plugin_settings_add_dependencies_once():
    host = FakeSettings(INSTALLED_APPS=["django.contrib.auth", "waffle"])
    common.plugin_settings(host)
    common.plugin_settings(host)
    assert host.INSTALLED_APPS == ["django.contrib.auth", "waffle", "rest_framework"]
    assert host.OPENEDX_LEARNER_APIS == {}


def test_common_plugin_settings_keep_the_host_dict():
    host = FakeSettings(INSTALLED_APPS=[], OPENEDX_LEARNER_APIS={"URL_PREFIXES": {"badges": None}})
    common.plugin_settings(host)
    assert host.OPENEDX_LEARNER_APIS == {"URL_PREFIXES": {"badges": None}}


def test_production_plugin_settings_merge_env_tokens():
    host = FakeSettings(INSTALLED_APPS=[], OPENEDX_LEARNER_APIS={"ENROLLMENTS_STATUS_DAYS": 7, "HOOKS": "a.B"},
                        ENV_TOKENS={"OPENEDX_LEARNER_APIS": {"HOOKS": "c.D"}})
    production.plugin_settings(host)
    assert host.OPENEDX_LEARNER_APIS == {"ENROLLMENTS_STATUS_DAYS": 7, "HOOKS": "c.D"}


@pytest.mark.parametrize("env_tokens", [None, {}, {"OTHER": 1}])
def test_production_plugin_settings_without_env_tokens(env_tokens):
    host = FakeSettings(INSTALLED_APPS=[], ENV_TOKENS=env_tokens)
    production.plugin_settings(host)
    assert host.OPENEDX_LEARNER_APIS == {}


def test_test_plugin_settings_are_common_ones():
    assert test_plugin_settings.plugin_settings is common.plugin_settings

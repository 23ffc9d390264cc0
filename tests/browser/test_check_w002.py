"""Check W002: a host expecting browser clients must join the LMS's JWT cookie pair.

The trigger is documented in docs/hosting.rst: a family authenticates with a JWT class and a
CORS origin setting or ``CSRF_TRUSTED_ORIGINS`` is set. Then ``JwtAuthCookieMiddleware`` and
``JWT_AUTH["JWT_AUTH_COOKIE"]`` are both required.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import checks as django_checks
from django.test import override_settings

from openedx_learner_apis.checks import JWT_COOKIE_MIDDLEWARE, check_browser_clients

from .test_cookie_auth import LMS_MIDDLEWARE, PLAIN_MIDDLEWARE

SESSION_ONLY = ["edx_rest_framework_extensions.auth.session.authentication.SessionAuthenticationAllowInactiveUser"]


def ids(messages):
    return [message.id for message in messages]


def test_registered():
    assert check_browser_clients in django_checks.registry.registry.get_checks()


@pytest.mark.parametrize("origins", [{"CORS_ALLOWED_ORIGINS": ["http://127.0.0.1:2000"]},
                                     {"CORS_ALLOWED_ORIGIN_REGEXES": [r"^https://\w+\.example\.com$"]},
                                     {"CORS_ALLOW_ALL_ORIGINS": True},
                                     {"CSRF_TRUSTED_ORIGINS": ["https://apps.example.com"]}])
def test_browser_origins_without_the_middleware_warn(origins):
    with override_settings(MIDDLEWARE=PLAIN_MIDDLEWARE, **origins):
        messages = check_browser_clients()
    assert ids(messages) == ["openedx_learner_apis.W002"]
    assert JWT_COOKIE_MIDDLEWARE in messages[0].msg
    assert JWT_COOKIE_MIDDLEWARE in messages[0].hint
    assert next(iter(origins)) in messages[0].msg


def test_the_middleware_and_the_cookie_name_satisfy_it():
    with override_settings(MIDDLEWARE=LMS_MIDDLEWARE, CORS_ALLOWED_ORIGINS=["http://127.0.0.1:2000"]):
        assert check_browser_clients() == []


def test_a_missing_cookie_name_warns_even_with_the_middleware():
    jwt_auth = {key: value for key, value in settings.JWT_AUTH.items() if key != "JWT_AUTH_COOKIE"}
    with override_settings(MIDDLEWARE=LMS_MIDDLEWARE, CORS_ALLOWED_ORIGINS=["http://127.0.0.1:2000"],
                           JWT_AUTH=jwt_auth):
        messages = check_browser_clients()
    assert ids(messages) == ["openedx_learner_apis.W002"]
    assert "JWT_AUTH_COOKIE" in messages[0].msg


def test_no_browser_origins_no_warning():
    """A host serving only header tokens (the mobile apps, servers) needs no cookie middleware."""
    with override_settings(MIDDLEWARE=PLAIN_MIDDLEWARE):
        assert check_browser_clients() == []


def test_no_jwt_class_no_warning():
    with override_settings(MIDDLEWARE=PLAIN_MIDDLEWARE, CORS_ALLOWED_ORIGINS=["http://127.0.0.1:2000"],
                           OPENEDX_LEARNER_APIS={"AUTHENTICATION_CLASSES": {"default": SESSION_ONLY}}):
        assert check_browser_clients() == []


def test_one_family_with_the_jwt_class_is_enough():
    classes = {"default": SESSION_ONLY,
               "mobile": ["openedx_learner_apis.rest_api.common.authentication.JwtAuthentication"]}
    with override_settings(MIDDLEWARE=PLAIN_MIDDLEWARE, CORS_ALLOWED_ORIGINS=["http://127.0.0.1:2000"],
                           OPENEDX_LEARNER_APIS={"AUTHENTICATION_CLASSES": classes}):
        assert ids(check_browser_clients()) == ["openedx_learner_apis.W002"]


def test_the_demo_host_passes_every_check(tmp_path):
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "example.settings", "DEMO_STATE_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "manage.py", "check", "--fail-level", "WARNING"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr

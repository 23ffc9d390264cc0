"""Without openedx-events the app starts, migrates and mirrors nothing (checked in a fresh interpreter)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
# A None entry makes both ``import openedx_events`` and ``importlib.util.find_spec`` behave as if it were absent.
for name in ("openedx_events", "edx_event_bus_redis"):
    sys.modules[name] = None

import django
from django.core.management import call_command

django.setup()
call_command("migrate", verbosity=0)
call_command("check", fail_level="ERROR")

from django.contrib.auth import get_user_model
from openedx_learner_apis import api

user = get_user_model().objects.create_user("alone")
api.upsert_course("course-v1:edX+Alone+2026")
api.enroll(user, "course-v1:edX+Alone+2026", mode="verified")
assert api.get_enrollment(user, api.get_course("course-v1:edX+Alone+2026").course_key).mode == "verified"
assert "openedx_learner_apis.contrib.openedx_events.receivers" not in sys.modules
print("works without openedx-events")
"""


def test_the_app_works_without_openedx_events():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "test_settings"}
    env.pop("DATABASE_URL", None)  # a fresh SQLite database in memory, whatever this run uses
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("works without openedx-events")

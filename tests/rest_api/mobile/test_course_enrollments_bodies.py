"""Whole ``course_enrollments`` bodies of every version, compared byte for byte with recorded ones.

The bodies in ``data/course_enrollments_bodies.json`` were recorded before the page's loading and
its serializers were reworked for speed (plain SQL reads, per-process memos, hand-built items):
any change of key order, value, number or date format in any version shows here. The clock is
fixed (it ticks one second per reading while the data is made, so no two rows share a time), so
the bodies do not depend on the day the suite runs.

Record them again only for an intended change of output: ``OLAPI_RECORD_BODIES=1 pytest this_file``.
"""

from __future__ import annotations

import itertools
import json
import os
from datetime import datetime, timedelta, timezone as dt_timezone
from pathlib import Path

import pytest
from django.utils import timezone

from openedx_learner_apis.applets.mobile.models import MobileConfig
from tests.rest_api.mobile.test_serializers_fast_path import many_shapes

pytestmark = pytest.mark.django_db

BODIES = Path(__file__).parent / "data" / "course_enrollments_bodies.json"
RECORD = os.environ.get("OLAPI_RECORD_BODIES") == "1"
NOW = datetime(2031, 3, 14, 9, 26, 53, tzinfo=dt_timezone.utc)
URLS = [
    "v0.5/users/learner/course_enrollments/",
    "v1/users/learner/course_enrollments/",
    "v2/users/learner/course_enrollments/",
    "v3/users/learner/course_enrollments/",
    "v3/users/learner/course_enrollments/?page=2&page_size=4",
    "v4/users/learner/course_enrollments/",
    "v4/users/learner/course_enrollments/?page=3",
    "v4/users/learner/course_enrollments/?requested_fields=course_progress&page_size=50",
    "v4/users/learner/course_enrollments/?status=all&requested_fields=course_progress",
    "v4/users/learner/course_enrollments/?status=completed",
    "v4/users/learner/course_enrollments/?status=expired",
    "v4/users/learner/course_enrollments/?status=in_progress",
    "v4/users/learner/course_enrollments/?org=other",
]


@pytest.fixture
def fixed_clock(monkeypatch):
    """A clock that ticks a second per reading; ``freeze()`` stops it (requests then all see one time)."""
    ticks = (NOW - timedelta(days=1) + timedelta(seconds=second) for second in itertools.count())
    clock = {"now": lambda: next(ticks)}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"]())

    def freeze():
        clock["now"] = lambda: NOW

    return freeze


def test_bodies_are_the_recorded_ones(session_client, learner, fixed_clock):
    client = session_client(learner)
    many_shapes(learner)
    MobileConfig.objects.create(name="iap_is_enabled", value="true")
    MobileConfig.objects.create(name="calendar_sync", value="false")
    fixed_clock()
    bodies = {}
    for url in URLS:
        response = client.get(f"/api/mobile/{url}")
        assert response.status_code == 200, response.content
        bodies[url] = response.content.decode()
    if RECORD:
        BODIES.parent.mkdir(exist_ok=True)
        BODIES.write_text(json.dumps(bodies, indent=1) + "\n")
    expected = json.loads(BODIES.read_text())
    assert list(expected) == URLS
    for url in URLS:
        assert bodies[url] == expected[url], url

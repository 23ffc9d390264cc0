"""``course_status_info`` PATCH: a stale update never overwrites a newer one, whichever rows it touched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openedx_learner_apis.api import enroll
from openedx_learner_apis.applets.progress.models import CoursewarePosition
from tests.course_builders import build_course

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Order+1"
URL = f"/api/mobile/v1/users/learner/course_status_info/{KEY}"


def block(kind, block_id):
    return f"block-v1:edX+Order+1+type@{kind}+block@{block_id}"


@pytest.fixture
def client(session_client, learner):
    build_course(KEY, outline=((1, 1), (1,)))
    enroll(learner, KEY)
    return session_client(learner)


def patch(client, unit, date):
    response = client.patch(URL, {"last_visited_module_id": block("vertical", unit),
                                  "modification_date": date.isoformat()}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["last_visited_module_id"]


def test_an_update_older_than_a_same_chapter_one_is_skipped(client):
    start = timezone.now()
    assert patch(client, "ch1s1u1", start) == block("sequential", "ch1s1")
    # Same chapter, other subsection: the course row's position (chapter 1) does not change.
    assert patch(client, "ch1s2u1", start + timedelta(minutes=10)) == block("sequential", "ch1s2")
    # Another chapter, dated between the two: older than the update that set the position.
    assert patch(client, "ch2s1u1", start + timedelta(minutes=5)) == block("sequential", "ch1s2")
    assert client.get(URL).json()["last_visited_module_path"] == [
        block("sequential", "ch1s2"), block("chapter", "ch1"), block("course", "course")]
    assert CoursewarePosition.objects.get(block_key=block("course", "course")).position == 1
    assert patch(client, "ch2s1u1", start + timedelta(minutes=11)) == block("sequential", "ch2s1")


def test_an_update_in_the_same_subsection_counts_too(client):
    start = timezone.now()
    build_course(KEY, outline=((2,), (1,)))
    patch(client, "ch1s1u1", start)
    patch(client, "ch1s1u2", start + timedelta(minutes=10))  # only the subsection's row changes
    assert patch(client, "ch2s1u1", start + timedelta(minutes=5)) == block("sequential", "ch1s1")
    assert CoursewarePosition.objects.get(block_key=block("sequential", "ch1s1")).position == 2


def test_a_device_behind_the_servers_clock_moves_forward(client):
    behind = timezone.now() - timedelta(hours=2)
    patch(client, "ch1s1u1", behind)
    assert patch(client, "ch2s1u1", behind + timedelta(seconds=1)) == block("sequential", "ch2s1")
    assert patch(client, "ch1s2u1", behind) == block("sequential", "ch2s1")

"""Answers that change with the clock alone: with the clock frozen on each side of a boundary, no stale body."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest

from openedx_learner_apis.api import upsert_course
from openedx_learner_apis.applets.enrollments.models import CourseDurationLimitConfig, Enrollment
from tests.course_builders import TOY_KEY

from .conftest import read, read_uncached

pytestmark = pytest.mark.django_db

NOW = datetime(2030, 6, 1, 12, tzinfo=UTC)


def at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def client(world, learner, jwt_client):
    return jwt_client(learner)


def assert_fresh_at(client, url, moment):
    with at(moment):
        status, etag, body = read(client, url)
        assert (status, body) == read_uncached(client, url), moment
    return etag, body


def crossing(client, url, boundary):
    """Read just before ``boundary`` (twice: built, then cached), then at and after it."""
    before = assert_fresh_at(client, url, boundary - timedelta(seconds=1))
    assert assert_fresh_at(client, url, boundary - timedelta(seconds=1)) == before
    return before, assert_fresh_at(client, url, boundary), assert_fresh_at(client, url, boundary + timedelta(hours=1))


@pytest.mark.parametrize("status", ["in_progress", "past", "all"])
def test_a_course_ending(client, status):
    end = NOW + timedelta(days=1)
    upsert_course(TOY_KEY, end=end)
    crossing(client, f"/api/mobile/v4/users/learner/course_enrollments/?status={status}", end)


def test_a_course_starting(client):
    start = NOW + timedelta(days=1)
    upsert_course(TOY_KEY, start=start, end=None)
    for url in (f"/api/courseware/course/{TOY_KEY}", "/api/mobile/v4/users/learner/course_enrollments/",
                f"/api/mobile/v1/users/learner/course_status_info/{TOY_KEY}"):
        crossing(client, url, start)


def test_audit_access_expiring(client, learner):
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=datetime(2020, 1, 1, tzinfo=UTC))
    upsert_course(TOY_KEY, start=datetime(2020, 1, 1, tzinfo=UTC), end=None)
    Enrollment.objects.filter(user=learner).update(created=NOW - timedelta(weeks=3))
    with at(NOW):
        expiry = read(client, f"/api/courseware/course/{TOY_KEY}")
    assert expiry[0] == 200
    expiration = json.loads(expiry[2])["access_expiration"]
    assert expiration is not None
    boundary = datetime.fromisoformat(expiration["expiration_date"].replace("Z", "+00:00"))
    for url in (f"/api/courseware/course/{TOY_KEY}", "/api/mobile/v0.5/users/learner/course_enrollments/",
                "/api/mobile/v1/users/learner/course_enrollments/"):
        before, _, after = crossing(client, url, boundary)
        if "v0.5" in url:
            assert before != after  # v0.5 drops expired courses


def test_a_due_date_passing_hides_the_sequence(client, world):
    from openedx_learner_apis.applets.courses.models import Block
    from tests.course_builders import sequence_key

    due = NOW + timedelta(days=2)
    Block.objects.filter(usage_key=sequence_key()).update(due=due, hide_after_due=True)
    before, _, after = crossing(client, f"/api/courseware/sequence/{sequence_key()}", due)
    assert before != after


def test_an_enrollment_stops_being_recent(client, learner):
    created = NOW - timedelta(days=10)
    Enrollment.objects.filter(user=learner).update(created=created)
    boundary = created + timedelta(days=30)
    before, _, after = crossing(client, "/api/mobile/v1/users/learner/enrollments_status/", boundary)
    assert before != after


def test_certificates_become_available(client, learner):
    available = NOW + timedelta(days=3)
    upsert_course(TOY_KEY, end=NOW - timedelta(days=1), certificate_available_date=available)
    for url in ("/api/certificates/v0/certificates/learner/", "/api/mobile/v1/users/learner/course_enrollments/"):
        crossing(client, url, available)


def test_the_learners_day_turns_at_local_midnight(client, learner):
    from openedx_learner_apis.api import set_preference

    set_preference(learner, "time_zone", "Asia/Tokyo")
    tokyo_midnight = datetime(2030, 6, 1, 15, tzinfo=UTC)  # 00:00 in Tokyo
    crossing(client, f"/api/courseware/course/{TOY_KEY}", tokyo_midnight)


def test_the_enrollment_window_closing_for_someone_not_enrolled(world, other_learner, jwt_client):
    enrollment_end = NOW + timedelta(hours=5)
    upsert_course(TOY_KEY, enrollment_end=enrollment_end)
    before, _, after = crossing(jwt_client(other_learner), f"/api/courseware/course/{TOY_KEY}", enrollment_end)
    assert before != after  # can_enroll turns false


def test_course_info_writes_still_happen_each_day(client, learner):
    """A served answer is one whose writes (the day's goal activity) already happened; a new day rebuilds."""
    from waffle.models import Flag

    from openedx_learner_apis.applets.engagement.models import UserActivity

    Flag.objects.create(name="course_experience.enable_course_goals", everyone=True)
    url = f"/api/courseware/course/{TOY_KEY}"
    first_day, next_day = NOW, NOW + timedelta(days=1)
    with at(first_day):
        answers = [read(client, url) for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]
    assert UserActivity.objects.filter(user=learner).count() == 1
    with at(next_day):
        read(client, url)
        read(client, url)
    assert sorted(UserActivity.objects.filter(user=learner).values_list("date", flat=True)) == [
        first_day.date(), next_day.date()]

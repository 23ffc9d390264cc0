"""``enrollments_status``: the 30-day rule and the enrollment limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from openedx_learner_apis.api import enroll, record_completion, upsert_course
from openedx_learner_apis.applets.enrollments.models import Enrollment
from openedx_learner_apis.applets.progress.models import BlockCompletion

pytestmark = pytest.mark.django_db

URL = "/api/mobile/v1/users/learner/enrollments_status/"


@pytest.fixture
def client(session_client, learner):
    return session_client(learner)


def make(learner, name, *, days_ago=0, mobile=True):
    key = f"course-v1:edX+{name}+1"
    upsert_course(key, display_name=name, mobile_available=mobile)
    enrollment = enroll(learner, key)
    Enrollment.objects.filter(pk=enrollment.pk).update(created=timezone.now() - timedelta(days=days_ago))
    return key


def test_no_enrollments(client):
    assert client.get(URL).json() == []


def test_only_non_mobile(client, learner):
    make(learner, "Web", mobile=False)
    assert client.get(URL).json() == []


def test_fresh_enrollments_in_key_order(client, learner):
    for name in ("C", "A", "B"):
        make(learner, name)
    make(learner, "D", days_ago=31)
    assert client.get(URL).json() == [
        {"course_id": "course-v1:edX+A+1", "course_name": "A", "recently_active": True},
        {"course_id": "course-v1:edX+B+1", "course_name": "B", "recently_active": True},
        {"course_id": "course-v1:edX+C+1", "course_name": "C", "recently_active": True},
        {"course_id": "course-v1:edX+D+1", "course_name": "D", "recently_active": False},
    ]


@pytest.mark.parametrize("days, active", [(27, True), (28, True), (29, True), (31, False), (32, False)])
def test_enrollment_age(client, learner, days, active):
    make(learner, "Age", days_ago=days)
    assert client.get(URL).json()[0]["recently_active"] is active


@pytest.mark.parametrize("days, active", [(27, True), (28, True), (29, True), (31, False), (32, False)])
def test_completion_age(client, learner, days, active):
    key = make(learner, "Old", days_ago=50)
    record_completion(learner, f"block-v1:{key[10:]}+type@problem+block@p")
    BlockCompletion.objects.update(created=timezone.now() - timedelta(days=days))
    assert client.get(URL).json()[0]["recently_active"] is active


def test_limit_and_days_settings(client, learner, settings):
    for name in ("A", "B", "C"):
        make(learner, name, days_ago=10)
    settings.OPENEDX_LEARNER_APIS = {"ENROLLMENTS_STATUS_LIMIT": 2, "ENROLLMENTS_STATUS_DAYS": 5}
    assert client.get(URL).json() == [
        {"course_id": "course-v1:edX+A+1", "course_name": "A", "recently_active": False},
        {"course_id": "course-v1:edX+B+1", "course_name": "B", "recently_active": False},
    ]


def test_limit_applies_before_the_mobile_filter(client, learner, settings):
    make(learner, "A", mobile=False)
    make(learner, "B")
    settings.OPENEDX_LEARNER_APIS = {"ENROLLMENTS_STATUS_LIMIT": 1}
    assert client.get(URL).json() == []

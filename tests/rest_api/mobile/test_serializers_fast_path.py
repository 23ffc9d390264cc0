"""The hand-built ``to_representation`` of the mobile serializers matches DRF's generic path exactly.

The declared fields stay the schema's source; these tests keep the fast path in step with them:
same keys in the same order and the same values, for every version and many enrollment shapes.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone as dt_timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from rest_framework import serializers

from openedx_learner_apis.api import (
    enroll,
    grant_course_role,
    issue_certificate,
    record_completion,
    set_preference,
    upsert_course,
    upsert_course_mode,
)
from openedx_learner_apis.applets.courses.dates import DEFAULT_START_DATE
from openedx_learner_apis.applets.courses.models import CourseMode
from openedx_learner_apis.applets.enrollments.models import CourseDurationLimitConfig, Enrollment
from openedx_learner_apis.applets.enrollments.modes import DEFAULT_MODE
from openedx_learner_apis.features.mobile.access import AccessResult
from openedx_learner_apis.rest_api.mobile import serializers as mobile_serializers
from tests.course_builders import build_course

pytestmark = pytest.mark.django_db

# Every serializer of the module with its own fast path; the generic one is DRF's.
FAST_SERIALIZERS = [cls for cls in vars(mobile_serializers).values()
                    if isinstance(cls, type) and issubclass(cls, serializers.BaseSerializer)
                    and "to_representation" in vars(cls)]
ENROLLMENT_SERIALIZERS = [
    mobile_serializers.MobileCourseSerializer,
    mobile_serializers.MobileEnrollmentV05Serializer,
    mobile_serializers.MobileEnrollmentSerializer,
    mobile_serializers.MobileEnrollmentWithProgressSerializer,
    mobile_serializers.MobilePrimaryEnrollmentSerializer,
]
URLS = [
    "v0.5/users/learner/course_enrollments/",
    "v1/users/learner/course_enrollments/",
    "v2/users/learner/course_enrollments/",
    "v3/users/learner/course_enrollments/?page_size=100",
    "v3/users/learner/course_enrollments/?page=2&page_size=4",
    "v4/users/learner/course_enrollments/",
    "v4/users/learner/course_enrollments/?page=2",
    "v4/users/learner/course_enrollments/?requested_fields=course_progress&page_size=50",
    "v4/users/learner/course_enrollments/?status=all&requested_fields=course_progress",
    "v4/users/learner/course_enrollments/?status=bogus&requested_fields=course_status,course_progress",
    "v4/users/learner/course_enrollments/?status=expired",
]


@pytest.fixture
def client(session_client, learner):
    return session_client(learner)


@pytest.fixture
def use_generic_path(monkeypatch):
    """Call to put DRF's generic ``Serializer.to_representation`` back on every fast serializer."""

    def use_generic():
        for cls in FAST_SERIALIZERS:
            monkeypatch.setattr(cls, "to_representation", serializers.Serializer.to_representation)

    return use_generic


def enroll_in(learner, key, *, days_ago: float, mode: str = "audit", **course_fields):
    course_fields.setdefault("mobile_available", True)
    upsert_course(key, **course_fields)
    enrollment = enroll(learner, key, mode=mode)
    Enrollment.objects.filter(pk=enrollment.pk).update(created=timezone.now() - timedelta(days=days_ago))


def many_shapes(learner):
    """A dozen enrollments, each a different shape of item, and a primary with status and assignments."""
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=datetime(2015, 1, 1, tzinfo=dt_timezone.utc))
    set_preference(learner, "time_zone", "America/New_York")
    enroll_in(learner, "course-v1:edX+Cert+1", days_ago=20, start=timezone.now() - timedelta(days=100),
              end=timezone.now() - timedelta(days=1), self_paced=True, discussion_enabled=True,
              marketing_url="https://example.com/cert", org_logo_url="/logo.png", display_org="Org Name")
    issue_certificate(learner, "course-v1:edX+Cert+1", status="downloadable", mode="audit", download_url="/c.pdf")
    enroll_in(learner, "course-v1:edX+CertLater+1", days_ago=19, end=timezone.now() + timedelta(days=5))
    issue_certificate(learner, "course-v1:edX+CertLater+1", status="downloadable", mode="audit",
                      download_url="/c.pdf")
    enroll_in(learner, "course-v1:edX+Gated+1", days_ago=60, start=timezone.now() - timedelta(days=90))
    upsert_course_mode("course-v1:edX+Gated+1", "audit")
    upsert_course_mode("course-v1:edX+Gated+1", "verified", min_price=49)
    enroll_in(learner, "course-v1:edX+Future+1", days_ago=18, start=timezone.now() + timedelta(days=30))
    enroll_in(learner, "course-v1:edX+Advertised+1", days_ago=17, start=timezone.now() + timedelta(days=30),
              advertised_start="Spring 2030")
    enroll_in(learner, "course-v1:edX+NoDates+1", days_ago=16, start=None, end=None)
    enroll_in(learner, "course-v1:edX+DefaultStart+1", days_ago=15, start=DEFAULT_START_DATE)
    key = "course-v1:Other+Modes+1"
    enroll_in(learner, key, days_ago=14, start=timezone.now() - timedelta(days=3), display_name="Modes",
              display_number="M1")
    upsert_course_mode(key, "audit")
    upsert_course_mode(key, "verified", min_price=99, sku="SKU", android_sku="android", ios_sku="ios",
                       expiration_datetime=timezone.now() + timedelta(days=10))
    upsert_course_mode(key, "credit", min_price=150)
    upsert_course_mode(key, "honor", expiration_datetime=timezone.now() - timedelta(days=1))
    enroll_in(learner, "course-v1:Other+Verified+1", days_ago=13, mode="verified")
    upsert_course_mode("course-v1:Other+Verified+1", "verified", min_price=10,
                       expiration_datetime=timezone.now() + timedelta(days=2))
    enroll_in(learner, "course-v1:edX+Hidden+1", days_ago=12, visible_to_staff_only=True)
    enroll_in(learner, "course-v1:edX+Staff+1", days_ago=11, visible_to_staff_only=True,
              start=timezone.now() + timedelta(days=9))
    grant_course_role(learner, "course-v1:edX+Staff+1", "staff")
    enroll_in(learner, "course-v1:edX+Milestone+1", days_ago=10, pre_requisite_courses=["course-v1:edX+Cert+1"])
    graded = {"ch1s1": {"graded": True, "format": "Homework", "due": timezone.now() + timedelta(days=2)}}
    build_course("course-v1:edX+Outline+1", blocks=graded)
    enroll_in(learner, "course-v1:edX+Outline+1", days_ago=9)
    record_completion(learner, "block-v1:edX+Outline+1+type@problem+block@ch1s1u1p")
    due = {f"ch1s{index}": {"graded": True, "format": "Exam" if index % 2 else "Homework",
                            "due": timezone.now() + timedelta(days=index - 3)} for index in range(1, 6)}
    due["ch1s5"]["start"] = timezone.now() + timedelta(days=1)  # not released: no link
    build_course("course-v1:edX+Primary+1", outline=((1, 1, 1, 1, 1), (2,)), blocks=due)
    enroll_in(learner, "course-v1:edX+Primary+1", days_ago=1)
    for index in (1, 2, 4):
        record_completion(learner, f"block-v1:edX+Primary+1+type@problem+block@ch1s{index}u1p")


def as_json(data) -> str:
    """Key order included: the apps see the bytes, and the fast path promises the same ones."""
    return json.dumps(data, default=str)


def test_fast_serializers_are_the_expected_ones():
    assert {cls.__name__ for cls in FAST_SERIALIZERS} == {
        "MobileModeSerializer", *(cls.__name__ for cls in ENROLLMENT_SERIALIZERS)}


@pytest.mark.parametrize("overrides", [
    {},
    {"TIME_ZONE": "Asia/Kolkata"},
    {"REST_FRAMEWORK": {"DATETIME_FORMAT": "%d/%m/%Y %H:%M:%S"}},
    {"REST_FRAMEWORK": {"DATETIME_FORMAT": None}},
], ids=["default", "time_zone", "datetime_format", "datetime_objects"])
def test_responses_match_generic_path(client, learner, settings, use_generic_path, overrides):
    for name, value in overrides.items():
        setattr(settings, name, {**getattr(settings, name), **value} if isinstance(value, dict) else value)
    many_shapes(learner)
    fast = {}
    for url in URLS:
        response = client.get(f"/api/mobile/{url}")
        assert response.status_code == 200, response.content
        fast[url] = response.content
    assert b'"primary"' in fast[URLS[5]] and b'"url":"http://testserver/c.pdf"' in fast[URLS[1]]
    use_generic_path()
    for url in URLS:
        assert client.get(f"/api/mobile/{url}").content == fast[url], url


@pytest.fixture
def captured_batch(client, learner, monkeypatch):
    """The batch, items and primary of a v4 request listing every shape, each with its outline loaded."""
    many_shapes(learner)
    captured = {}
    original = mobile_serializers.ResponseBatch.__init__

    def capture(self, *args, **kwargs):
        original(self, *args, **kwargs)
        captured.update(batch=self, enrollments=[*kwargs["progress_for"], kwargs["primary"]])

    monkeypatch.setattr(mobile_serializers.ResponseBatch, "__init__", capture)
    response = client.get("/api/mobile/v4/users/learner/course_enrollments/"
                          "?status=bogus&requested_fields=course_progress&page_size=50")
    assert response.status_code == 200
    monkeypatch.setattr(mobile_serializers.ResponseBatch, "__init__", original)
    assert len(captured["enrollments"]) == 14
    return captured["batch"], captured["enrollments"]


def test_every_serializer_matches_generic_path(captured_batch, use_generic_path):
    """Each enrollment serializer on each shape, including ones the views never pair (primary fields on items)."""
    batch, enrollments = captured_batch

    def outputs():
        return [as_json(cls(context={"batch": batch}).to_representation(enrollment))
                for cls in ENROLLMENT_SERIALIZERS for enrollment in enrollments]

    fast = outputs()
    use_generic_path()
    assert outputs() == fast


def test_modes_match_generic_path(use_generic_path):
    upsert_course("course-v1:edX+M+1")
    upsert_course_mode("course-v1:edX+M+1", "audit")
    upsert_course_mode("course-v1:edX+M+1", "verified", min_price=49, sku="S", android_sku="A", ios_sku="I")
    modes = [DEFAULT_MODE, *CourseMode.objects.order_by("id")]
    fast = [as_json(mobile_serializers.MODE_SERIALIZER.to_representation(mode)) for mode in modes]
    use_generic_path()
    assert [as_json(mobile_serializers.MobileModeSerializer(mode).data) for mode in modes] == fast


def test_courseware_access_is_the_access_result(captured_batch):
    """Built by hand for speed, it must stay ``AccessResult.as_dict()``, key order included."""
    batch, enrollments = captured_batch
    serializer = mobile_serializers.MobileCourseSerializer(context={"batch": batch})
    codes = set()
    for enrollment in enrollments:
        access = serializer.get_courseware_access(enrollment)
        expected = batch.access.check(enrollment.course, enrollment).as_dict()
        assert list(access.items()) == list(expected.items())
        assert list(access) == [field.name for field in dataclasses.fields(AccessResult)]
        codes.add(access["error_code"])
    assert codes == {None, "audit_expired", "course_not_started", "not_visible_to_user", "unfulfilled_milestones"}


@pytest.mark.parametrize("language, expected", [("en", "May 1, 2024"), ("fr", "1 mai 2024"), ("de", "1. Mai 2024")])
def test_start_display_cache_follows_language(language, expected):
    course = SimpleNamespace(advertised_start="", start=datetime(2024, 5, 1, 10, tzinfo=dt_timezone.utc))
    mobile_serializers.start_display(course)  # cached in the default language first
    with translation.override(language):
        assert mobile_serializers.start_display(course) == ("timestamp", expected)
        assert expected == date_format(course.start, "DATE_FORMAT")


def test_start_display_cache_follows_the_datetime_zone():
    """Equal datetimes in other zones may fall on another day: the zone is part of the cache key."""
    utc = datetime(2024, 5, 1, 23, tzinfo=dt_timezone.utc)
    tokyo = utc.astimezone(ZoneInfo("Asia/Tokyo"))
    assert utc == tokyo
    displayed = [mobile_serializers.start_display(SimpleNamespace(advertised_start="", start=value))[1]
                 for value in (utc, tokyo)]
    assert displayed == ["May 1, 2024", "May 2, 2024"]

"""``course_enrollments`` for every version: selection, envelopes, fields and v4 primary (docs/mobile.rst)."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.utils import timezone

from openedx_learner_apis.api import (
    enroll,
    grant_course_role,
    issue_certificate,
    record_completion,
    set_position,
    set_preference,
    upsert_course,
    upsert_course_mode,
)
from openedx_learner_apis.applets.enrollments.models import CourseDurationLimitConfig, Enrollment
from openedx_learner_apis.applets.mobile.models import IgnoreMobileAvailableFlagConfig, MobileConfig
from openedx_learner_apis.conf import learner_apis_settings
from tests.course_builders import build_course

pytestmark = pytest.mark.django_db

VERSIONS = ["v0.5", "v1", "v2", "v3", "v4"]
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def make_enrollment(user, key, *, days_ago=0.0, mode="audit", **course_fields):
    if not course_fields.pop("keep", False):
        course_fields.setdefault("mobile_available", True)
        upsert_course(key, **course_fields)
    enrollment = enroll(user, key, mode=mode)
    Enrollment.objects.filter(pk=enrollment.pk).update(created=timezone.now() - timedelta(days=days_ago))
    return enrollment


def items(body, version):
    """The list items of any version's body."""
    if version in ("v0.5", "v1"):
        return body
    enrollments = body["enrollments"]
    return enrollments if version == "v2" else enrollments["results"]


def get(client, version="v1", query="", username="learner"):
    response = client.get(f"/api/mobile/{version}/users/{username}/course_enrollments/{query}")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def client(session_client, learner):
    return session_client(learner)


# Field presence and types, per version (the apps decode strictly).

COURSE_TYPES = {
    "id": str, "name": str, "number": str, "org": str, "org_logo": str, "start": (str, type(None)),
    "start_display": (str, type(None)), "start_type": str, "end": (str, type(None)),
    "dynamic_upgrade_deadline": (str, type(None)), "subscription_id": str, "courseware_access": dict,
    "media": dict, "course_image": str, "course_about": str, "course_sharing_utm_parameters": dict,
    "course_updates": str, "course_handouts": str, "discussion_url": (str, type(None)), "video_outline": type(None),
    "is_self_paced": bool,
}
ACCESS_KEYS = {"has_access", "error_code", "developer_message", "user_message", "additional_context_user_message",
               "user_fragment"}
MODE_TYPES = {"slug": str, "sku": (str, type(None)), "android_sku": (str, type(None)),
              "ios_sku": (str, type(None)), "min_price": int}
ITEM_KEYS = {
    "v0.5": {"created", "mode", "is_active", "course", "certificate"},
    "v1": {"audit_access_expires", "created", "mode", "is_active", "course", "certificate", "course_modes"},
}
PRIMARY_KEYS = ITEM_KEYS["v1"] | {"course_status", "course_progress", "course_assignments"}


def check_item(item, version):
    assert set(item) == ITEM_KEYS["v0.5" if version == "v0.5" else "v1"]
    assert DATETIME.match(item["created"]) and isinstance(item["mode"], str) and item["is_active"] is True
    assert isinstance(item["certificate"], dict)
    assert set(item["course"]) == set(COURSE_TYPES)
    for name, kind in COURSE_TYPES.items():
        assert isinstance(item["course"][name], kind), name
    assert set(item["course"]["courseware_access"]) == ACCESS_KEYS
    assert item["course"]["media"] == {"course_image": {"uri": item["course"]["course_image"], "name": "Course Image"}}
    if version != "v0.5":
        assert item["audit_access_expires"] is None or DATETIME.match(item["audit_access_expires"])
        for mode in item["course_modes"]:
            assert set(mode) == set(MODE_TYPES)
            for name, kind in MODE_TYPES.items():
                assert isinstance(mode[name], kind)


@pytest.mark.parametrize("version", VERSIONS)
def test_fields_and_types(client, learner, version):
    key = "course-v1:edX+Types+1"
    make_enrollment(learner, key, days_ago=2, display_name="Types", start=timezone.now() - timedelta(days=3),
                    end=timezone.now() + timedelta(days=30), advertised_start="Spring 2016", org_logo_url="/logo.png")
    upsert_course_mode(key, "audit")
    upsert_course_mode(key, "verified", min_price=49, sku="SKU", android_sku="and", ios_sku="ios",
                       expiration_datetime=timezone.now() + timedelta(days=10))
    make_enrollment(learner, "course-v1:edX+Other+1", days_ago=5)
    body = get(client, version)
    listed = items(body, version)
    assert listed
    for item in listed:
        check_item(item, version)
    if version in ("v2", "v3", "v4"):
        assert body["configs"] == {"iap_configs": {}} and body["user_timezone"] == "UTC"
    if version == "v4":
        assert set(body["primary"]) == PRIMARY_KEYS
        check_item({name: body["primary"][name] for name in ITEM_KEYS["v1"]}, version)
    if version in ("v3", "v4"):
        assert set(body["enrollments"]) == {"next", "previous", "count", "num_pages", "current_page", "start",
                                            "results"}


def test_course_object_values(client, learner):
    key = "course-v1:edX+Vals+1"
    start = datetime(2024, 5, 1, 10, 0, tzinfo=dt_timezone.utc)
    make_enrollment(learner, key, display_name="Values", start=start, display_org="Display Org",
                    display_number="D101", course_image_url="/asset-v1:edX+Vals+1+type@asset+block@img.jpg",
                    self_paced=True, discussion_enabled=True, org_logo_url="/logo.png")
    upsert_course_mode(key, "audit")
    upsert_course_mode(key, "verified", min_price=10, expiration_datetime=timezone.now() + timedelta(days=3))
    upsert_course_mode(key, "credit", min_price=99)
    upsert_course_mode(key, "honor", expiration_datetime=timezone.now() - timedelta(days=1))
    item = get(client, "v1")[0]
    course = item["course"]
    assert course["id"] == key and course["name"] == "Values"
    assert (course["org"], course["number"]) == ("Display Org", "D101")
    assert course["start"] == "2024-05-01T10:00:00Z" and course["end"] is None
    assert (course["start_type"], course["start_display"]) == ("timestamp", "May 1, 2024")
    assert course["subscription_id"] == "course_" + base64.b32encode(key.encode()).decode().replace("=", "_")
    assert re.match(r"^course_[A-Z2-7_]+$", get(client, "v1")[0]["course"]["subscription_id"])
    assert course["courseware_access"]["has_access"] is True
    assert course["course_image"] == "/asset-v1:edX+Vals+1+type@asset+block@img.jpg"
    assert course["course_about"] == f"http://testserver/courses/{key}/about"
    assert course["course_updates"] == f"http://testserver/api/mobile/v1/course_info/{key}/updates"
    assert course["course_handouts"] == f"http://testserver/api/mobile/v1/course_info/{key}/handouts"
    assert course["discussion_url"] == f"http://testserver/api/discussion/v1/courses/{key}"
    assert course["org_logo"] == "/logo.png" and course["is_self_paced"] is True and course["video_outline"] is None
    assert course["course_sharing_utm_parameters"] == {
        "facebook": "utm_medium=social&utm_campaign=social-sharing-db&utm_source=facebook",
        "twitter": "utm_medium=social&utm_campaign=social-sharing-db&utm_source=twitter"}
    assert [mode["slug"] for mode in item["course_modes"]] == ["audit", "verified", "credit"]
    assert course["dynamic_upgrade_deadline"] is not None  # audit learner, unexpired verified mode
    assert item["mode"] == "audit" and item["certificate"] == {}


def test_links_use_request_version_and_marketing_url(client, learner):
    make_enrollment(learner, "course-v1:edX+M+1", marketing_url="https://example.com/m")
    course = get(client, "v0.5")[0]["course"]
    assert course["course_about"] == "https://example.com/m"
    assert "/api/mobile/v0.5/course_info/" in course["course_updates"]
    assert course["discussion_url"] is None


def test_default_mode_when_course_has_none(client, learner):
    make_enrollment(learner, "course-v1:edX+NoModes+1")
    assert get(client)[0]["course_modes"] == [
        {"slug": "audit", "sku": None, "android_sku": None, "ios_sku": None, "min_price": 0}]


@pytest.mark.parametrize("advertised, start, expected", [
    ("Spring 2016", timedelta(days=7), ("string", "Spring 2016")),
    ("", timedelta(days=7), ("timestamp", None)),
    ("Spring 2016", datetime(2030, 1, 1, tzinfo=dt_timezone.utc), ("string", "Spring 2016")),
    ("", datetime(2030, 1, 1, tzinfo=dt_timezone.utc), ("empty", None)),
])
@pytest.mark.parametrize("version", ["v0.5", "v1", "v2"])
def test_start_type_and_display(client, learner, advertised, start, expected, version):
    """A ``timedelta`` start counts from the test's own clock, never from the time of import."""
    if isinstance(start, timedelta):
        start = timezone.now() + start
    make_enrollment(learner, "course-v1:edX+S+1", advertised_start=advertised, start=start)
    course = items(get(client, version), version)[0]["course"]
    assert course["start_type"] == expected[0]
    if expected[0] == "timestamp":
        assert str(start.year) in course["start_display"] and str(start.day) in course["start_display"]
    else:
        assert course["start_display"] == expected[1]


@pytest.mark.parametrize("version", ["v0.5", "v1", "v2"])
def test_newest_first(client, learner, version):
    for index, days in enumerate([3, 1, 2]):
        make_enrollment(learner, f"course-v1:edX+Sort{index}+1", days_ago=days)
    listed = [item["course"]["id"] for item in items(get(client, version), version)]
    assert listed == ["course-v1:edX+Sort1+1", "course-v1:edX+Sort2+1", "course-v1:edX+Sort0+1"]


@pytest.mark.parametrize("version", ["v0.5", "v1", "v2"])
def test_courseware_access_error_codes(client, learner, version):
    upsert_course("course-v1:edX+Pre+1")
    make_enrollment(learner, "course-v1:edX+Ok+1", days_ago=1, start=timezone.now() - timedelta(days=1))
    make_enrollment(learner, "course-v1:edX+Hidden+1", days_ago=2, visible_to_staff_only=True)
    make_enrollment(learner, "course-v1:edX+Later+1", days_ago=3, start=timezone.now() + timedelta(days=365))
    make_enrollment(learner, "course-v1:edX+Milestone+1", days_ago=4, pre_requisite_courses=["course-v1:edX+Pre+1"])
    access = [item["course"]["courseware_access"] for item in items(get(client, version), version)]
    assert [entry["error_code"] for entry in access] == [
        None, "not_visible_to_user", "course_not_started", "unfulfilled_milestones"]
    assert [entry["has_access"] for entry in access] == [True, False, False, False]
    assert access[2]["user_message"].startswith("Course does not start until")


def test_staff_roles_bypass_access_errors(client, learner):
    make_enrollment(learner, "course-v1:edX+Hidden+1", visible_to_staff_only=True,
                    start=timezone.now() + timedelta(days=9))
    grant_course_role(learner, "course-v1:edX+Hidden+1", "staff")
    assert get(client)[0]["course"]["courseware_access"]["has_access"] is True


def test_beta_tester_starts_early(client, learner):
    make_enrollment(learner, "course-v1:edX+Beta+1", start=timezone.now() + timedelta(days=2), days_early_for_beta=5)
    assert get(client)[0]["course"]["courseware_access"]["error_code"] == "course_not_started"
    grant_course_role(learner, "course-v1:edX+Beta+1", "beta_testers")
    assert get(client)[0]["course"]["courseware_access"]["has_access"] is True


def test_entrance_exam_milestone(client, learner):
    from openedx_learner_apis.api import set_subsection_grade
    exam = "block-v1:edX+Exam+1+type@chapter+block@exam"
    make_enrollment(learner, "course-v1:edX+Exam+1", entrance_exam_enabled=True, entrance_exam_id=exam)
    assert get(client)[0]["course"]["courseware_access"]["error_code"] == "unfulfilled_milestones"
    set_subsection_grade(learner, exam, earned=9, possible=10)
    assert get(client)[0]["course"]["courseware_access"]["has_access"] is True


@pytest.mark.parametrize("version", VERSIONS)
def test_mobile_availability(client, learner, version):
    make_enrollment(learner, "course-v1:edX+Web+1", mobile_available=False)
    assert items(get(client, version), version) == [] or version == "v4"
    grant_course_role(learner, "course-v1:edX+Web+1", "beta_testers")
    assert len(items(get(client, version), version)) == (0 if version == "v4" else 1)  # v4: it is the primary


@pytest.mark.parametrize("role", ["beta_testers", "staff", "instructor"])
def test_roles_see_non_mobile_courses(client, learner, role):
    make_enrollment(learner, "course-v1:edX+Web+1", mobile_available=False)
    assert get(client) == []
    grant_course_role(learner, "course-v1:edX+Web+1", role)
    assert len(get(client)) == 1


def test_ignore_mobile_available_switch(client, learner):
    make_enrollment(learner, "course-v1:edX+Web+1", mobile_available=False)
    IgnoreMobileAvailableFlagConfig.objects.create(enabled=True)
    assert len(get(client)) == 1


def test_inactive_and_unenrolled_are_not_listed(client, learner):
    from openedx_learner_apis.api import unenroll
    make_enrollment(learner, "course-v1:edX+Gone+1")
    unenroll(learner, "course-v1:edX+Gone+1")
    assert get(client) == []


def six_courses(learner):
    for index, org in enumerate(["edX", "edX", "edX", "MITx", "HarvardX", "Other"]):
        make_enrollment(learner, f"course-v1:{org}+C{index}+1", days_ago=index, visible_to_staff_only=index == 2)


@pytest.mark.parametrize("version", ["v0.5", "v1", "v2"])
def test_org_parameter(client, learner, version):
    six_courses(learner)
    listed = items(get(client, version, "?org=edX"), version)
    assert len(listed) == 3 and {item["course"]["org"] for item in listed} == {"edX"}
    assert len(items(get(client, version, "?org=edx"), version)) == 3  # case-insensitive
    assert len(items(get(client, version, "?org="), version)) == 6  # empty means no filter


@pytest.mark.parametrize("version", ["v0.5", "v1", "v2"])
def test_site_org_filter(client, learner, version, settings):
    six_courses(learner)
    settings.OPENEDX_LEARNER_APIS = {"SITE_COURSE_ORG_FILTER": ["edX"]}
    listed = items(get(client, version), version)
    assert len(listed) == 3 and {item["course"]["org"] for item in listed} == {"edX"}
    settings.OPENEDX_LEARNER_APIS = {"SITE_COURSE_ORG_FILTER": ["edx"]}  # exact membership
    assert items(get(client, version), version) == []


def gated_enrollment(learner, *, expired: bool):
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=datetime(2015, 1, 1, tzinfo=dt_timezone.utc))
    key = "course-v1:edX+Gated+1"
    make_enrollment(learner, key, days_ago=60 if expired else 1, start=timezone.now() - timedelta(days=90))
    upsert_course_mode(key, "audit")
    upsert_course_mode(key, "verified", min_price=49)


@pytest.mark.parametrize("version, expired, count", [
    ("v0.5", True, 0), ("v0.5", False, 1), ("v1", True, 1), ("v1", False, 1), ("v2", True, 1), ("v2", False, 1)])
def test_duration_limits_on(client, learner, version, expired, count):
    gated_enrollment(learner, expired=expired)
    listed = items(get(client, version), version)
    assert len(listed) == count
    for item in listed:
        if version == "v0.5":
            assert "audit_access_expires" not in item
        else:
            assert DATETIME.match(item["audit_access_expires"])
            assert item["course"]["courseware_access"]["error_code"] == ("audit_expired" if expired else None)
            for mode in item["course_modes"]:
                assert {"android_sku", "ios_sku", "min_price"} <= set(mode)


@pytest.mark.parametrize("version", ["v0.5", "v1", "v2"])
@pytest.mark.parametrize("expired", [True, False])
def test_duration_limits_off(client, learner, version, expired):
    gated_enrollment(learner, expired=expired)
    CourseDurationLimitConfig.objects.create(enabled=False)
    listed = items(get(client, version), version)
    assert len(listed) == 1
    assert version == "v0.5" or listed[0]["audit_access_expires"] is None


def test_expired_audit_message(client, learner):
    gated_enrollment(learner, expired=True)
    access = get(client)[0]["course"]["courseware_access"]
    assert access["user_message"].startswith("Access expired on ")
    assert access["additional_context_user_message"].startswith("Access to Gated expired on ")


def test_configs_v2(client, learner):
    MobileConfig.objects.create(name="simple config", value="simple")
    MobileConfig.objects.create(name="iap_config", value="iap")
    MobileConfig.objects.create(name="iap config", value="false iap")
    body = get(client, "v2")
    assert body["configs"] == {"iap_configs": {"iap_config": "iap"}, "simple config": "simple",
                               "iap config": "false iap"}
    assert body["enrollments"] == []


def test_user_timezone(client, learner):
    from openedx_learner_apis.applets.engagement.models import LastSeenCoursewareTimezone
    assert get(client, "v2")["user_timezone"] == "UTC"
    LastSeenCoursewareTimezone.objects.create(user=learner, last_seen_courseware_timezone="Asia/Tokyo")
    assert get(client, "v3")["user_timezone"] == "Asia/Tokyo"
    set_preference(learner, "time_zone", "Europe/Paris\x07")
    assert get(client, "v4")["user_timezone"] == "Europe/Paris"
    set_preference(learner, "time_zone", "Mars/Olympus")
    assert get(client, "v4")["user_timezone"] == "Asia/Tokyo"


def test_v3_pagination(client, learner):
    for index in range(15):
        make_enrollment(learner, f"course-v1:edX+P{index}+1", days_ago=index)
    page = get(client, "v3")["enrollments"]
    assert (page["count"], page["num_pages"], page["current_page"], len(page["results"])) == (15, 2, 1, 10)
    assert page["next"].startswith("http://testserver/") and page["previous"] is None
    assert len(get(client, "v3", "?page=2")["enrollments"]["results"]) == 5
    assert len(get(client, "v3", "?page_size=500")["enrollments"]["results"]) == 15
    response = client.get("/api/mobile/v3/users/learner/course_enrollments/?page=3")
    assert response.status_code == 404 and response.json() == {
        "detail": "Invalid page.", "developer_message": "Invalid page.", "error_code": "not_found"}
    assert client.get("/api/mobile/v3/users/learner/course_enrollments/?page=x").status_code == 404


def test_v4_no_enrollments(client):
    assert get(client, "v4") == {"configs": {"iap_configs": {}}, "user_timezone": "UTC", "enrollments": {
        "next": None, "previous": None, "count": 0, "num_pages": 1, "current_page": 1, "start": 0, "results": []}}


def test_v4_one_enrollment_is_primary(client, learner):
    make_enrollment(learner, "course-v1:edX+One+1")
    body = get(client, "v4")
    assert body["enrollments"]["count"] == 0 and body["enrollments"]["results"] == []
    assert body["primary"]["course"]["id"] == "course-v1:edX+One+1"


def test_v4_two_enrollments(client, learner):
    make_enrollment(learner, "course-v1:edX+Old+1", days_ago=2)
    make_enrollment(learner, "course-v1:edX+New+1", days_ago=1)
    body = get(client, "v4")
    assert body["primary"]["course"]["id"] == "course-v1:edX+New+1"
    assert body["enrollments"]["count"] == 1
    assert body["enrollments"]["results"][0]["course"]["id"] == "course-v1:edX+Old+1"


@pytest.mark.parametrize("total, count, pages", [(16, 15, 3), (15, 14, 3)])
def test_v4_pagination(client, learner, total, count, pages):
    for index in range(total):
        make_enrollment(learner, f"course-v1:edX+P{index}+1", days_ago=index)
    body = get(client, "v4")
    page = body["enrollments"]
    assert (page["count"], page["num_pages"], page["current_page"], len(page["results"])) == (count, pages, 1, 5)
    assert body["primary"]["course"]["id"] == "course-v1:edX+P0+1"
    assert len(get(client, "v4", "?page_size=100")["enrollments"]["results"]) == min(count, 50)


def test_v4_primary_follows_progress(client, learner):
    make_enrollment(learner, "course-v1:edX+Old+1", days_ago=10)
    for index in range(5):
        make_enrollment(learner, f"course-v1:edX+Mid{index}+1", days_ago=5 + index * 0.1)
    make_enrollment(learner, "course-v1:edX+New+1", days_ago=1)
    body = get(client, "v4")
    assert body["primary"]["course"]["id"] == "course-v1:edX+New+1" and body["enrollments"]["count"] == 6
    set_position(learner, "block-v1:edX+Old+1+type@course+block@course", 1)
    body = get(client, "v4")
    assert body["primary"]["course"]["id"] == "course-v1:edX+Old+1" and body["enrollments"]["count"] == 6
    make_enrollment(learner, "course-v1:edX+Newest+1", days_ago=-0.001)
    body = get(client, "v4")
    assert body["primary"]["course"]["id"] == "course-v1:edX+Newest+1" and body["enrollments"]["count"] == 7


def test_v4_completion_counts_as_progress(client, learner):
    """Completions count as progress when v4 picks the primary course, as saved positions do."""
    make_enrollment(learner, "course-v1:edX+Old+1", days_ago=10)
    make_enrollment(learner, "course-v1:edX+New+1", days_ago=1)
    record_completion(learner, "block-v1:edX+Old+1+type@problem+block@p")
    assert get(client, "v4")["primary"]["course"]["id"] == "course-v1:edX+Old+1"


def test_v4_only_non_mobile_courses(client, learner):
    make_enrollment(learner, "course-v1:edX+Web+1", mobile_available=False)
    assert "primary" not in get(client, "v4")
    assert get(client, "v4")["enrollments"]["count"] == 0


def test_v4_progress_in_non_mobile_course_is_ignored(client, learner):
    make_enrollment(learner, "course-v1:edX+Web+1", days_ago=20, mobile_available=False)
    for index in range(6):
        make_enrollment(learner, f"course-v1:edX+M{index}+1", days_ago=10 - index)
    set_position(learner, "block-v1:edX+Web+1+type@course+block@course", 1)
    body = get(client, "v4")
    assert body["primary"]["course"]["id"] == "course-v1:edX+M5+1" and body["enrollments"]["count"] == 5


def test_v4_primary_course_status(client, learner):
    build_course("course-v1:edX+St+1", blocks={"ch1s2u1": {"display_name": "test unit"}})
    make_enrollment(learner, "course-v1:edX+St+1", keep=True)
    assert get(client, "v4")["primary"]["course_status"] is None
    record_completion(learner, "block-v1:edX+St+1+type@problem+block@ch1s2u1p")
    assert get(client, "v4")["primary"]["course_status"] == {
        "last_visited_module_id": "block-v1:edX+St+1+type@sequential+block@ch1s2",
        "last_visited_module_path": ["block-v1:edX+St+1+type@course+block@course",
                                     "block-v1:edX+St+1+type@chapter+block@ch1",
                                     "block-v1:edX+St+1+type@sequential+block@ch1s2"],
        "last_visited_block_id": "block-v1:edX+St+1+type@problem+block@ch1s2u1p",
        "last_visited_unit_display_name": "test unit",
    }
    record_completion(learner, "block-v1:edX+St+1+type@chapter+block@ch1")  # shallower than a unit
    assert get(client, "v4")["primary"]["course_status"] is None


def status_courses(learner):
    make_enrollment(learner, "course-v1:edX+Past+1", days_ago=3, start=timezone.now() - timedelta(days=60),
                    end=timezone.now() - timedelta(days=7))
    make_enrollment(learner, "course-v1:edX+Current+1", days_ago=2, start=timezone.now() - timedelta(days=7),
                    end=timezone.now() + timedelta(days=7))
    make_enrollment(learner, "course-v1:edX+Open+1", days_ago=1, start=timezone.now() - timedelta(days=7))
    make_enrollment(learner, "course-v1:edX+Future+1", days_ago=0.5, start=timezone.now() + timedelta(days=7))


@pytest.mark.parametrize("status, expected", [
    ("in_progress", ["course-v1:edX+Open+1", "course-v1:edX+Current+1"]),
    ("expired", ["course-v1:edX+Past+1"]),
    ("completed", []),
    ("all", ["course-v1:edX+Future+1", "course-v1:edX+Open+1", "course-v1:edX+Current+1", "course-v1:edX+Past+1"]),
])
def test_v4_status_filters(client, learner, status, expected):
    status_courses(learner)
    body = get(client, "v4", f"?status={status}")
    assert "primary" not in body
    assert [item["course"]["id"] for item in body["enrollments"]["results"]] == expected
    assert body["enrollments"]["count"] == len(expected)


def test_v4_certificate_means_completed(client, learner):
    status_courses(learner)
    issue_certificate(learner, "course-v1:edX+Past+1", status="downloadable", mode="audit")
    assert [item["course"]["id"] for item in get(client, "v4", "?status=completed")["enrollments"]["results"]] == [
        "course-v1:edX+Past+1"]
    assert get(client, "v4", "?status=expired")["enrollments"]["count"] == 0


@pytest.mark.parametrize("version", ["v1", "v2", "v3"])
def test_status_ignored_before_v4(client, learner, version):
    status_courses(learner)
    assert len(items(get(client, version, "?status=expired"), version)) == 4


def test_v4_unknown_status_lists_with_primary(client, learner):
    status_courses(learner)
    body = get(client, "v4", "?status=bogus")
    assert body["primary"]["course"]["id"] == "course-v1:edX+Future+1" and body["enrollments"]["count"] == 3


def assignments_course(learner, key="course-v1:edX+Asg+1", *, complete=3):
    """Five graded subsections, the first ``complete`` of them completed."""
    due = {f"ch1s{index}": {"graded": True, "format": "Homework", "due": timezone.now() + timedelta(days=index)}
           for index in range(1, 6)}
    build_course(key, outline=((1, 1, 1, 1, 1),), blocks=due)
    make_enrollment(learner, key, keep=True)
    for index in range(1, complete + 1):
        record_completion(learner, f"block-v1:{key[10:]}+type@problem+block@ch1s{index}u1p")


def test_v4_primary_without_assignments(client, learner):
    build_course("course-v1:edX+Empty+1")
    make_enrollment(learner, "course-v1:edX+Empty+1", keep=True)
    primary = get(client, "v4")["primary"]
    assert primary["course_assignments"] == {"future_assignments": [], "past_assignments": []}
    assert primary["course_progress"] == {"total_assignments_count": 0, "assignments_completed": 0}


def test_v4_primary_progress_and_assignments(client, learner):
    assignments_course(learner)
    primary = get(client, "v4")["primary"]
    assert primary["course_progress"] == {"total_assignments_count": 5, "assignments_completed": 3}
    future = primary["course_assignments"]["future_assignments"]
    assert [item["title"] for item in future] == ["ch1s4"]  # the next due day, skipping completed ones
    item = future[0]
    assert item["date_type"] == "assignment-due-date" and item["complete"] is False
    assert item["assignment_type"] == "Homework" and item["learner_has_access"] is True
    assert item["link"] == ("http://testserver/courses/course-v1:edX+Asg+1/jump_to/"
                            "block-v1:edX+Asg+1+type@sequential+block@ch1s4")
    assert item["first_component_block_id"] == "block-v1:edX+Asg+1+type@problem+block@ch1s4u1p"
    assert primary["course_assignments"]["past_assignments"] == []


def test_v4_requested_fields(client, learner):
    make_enrollment(learner, "course-v1:edX+Plain+1", days_ago=5)
    assignments_course(learner)
    Enrollment.objects.filter(course__course_key="course-v1:edX+Plain+1").update(
        created=timezone.now() + timedelta(days=1))
    body = get(client, "v4")
    assert "course_progress" not in body["enrollments"]["results"][0]
    body = get(client, "v4", "?requested_fields=course_progress,course_status")
    assert body["enrollments"]["results"][0]["course_progress"] == {
        "total_assignments_count": 5, "assignments_completed": 3}
    assert "course_status" not in body["enrollments"]["results"][0]  # course_status is primary-only
    assert body["primary"]["course_progress"] == {"total_assignments_count": 0, "assignments_completed": 0}


@pytest.mark.parametrize("version", ["v1", "v2", "v3"])
def test_requested_fields_ignored_before_v4(client, learner, version):
    assignments_course(learner)
    assert "course_progress" not in items(get(client, version, "?requested_fields=course_progress"), version)[0]


# Certificates (default version v1).

def test_no_certificate(client, learner):
    make_enrollment(learner, "course-v1:edX+Cert+1", self_paced=True)
    assert get(client)[0]["certificate"] == {}


@pytest.mark.parametrize("html_view", [True, False])
def test_pdf_certificate(client, learner, html_view, settings):
    settings.OPENEDX_LEARNER_APIS = {"CERTIFICATES_HTML_VIEW": html_view}
    make_enrollment(learner, "course-v1:edX+Cert+1", self_paced=True)
    issue_certificate(learner, "course-v1:edX+Cert+1", status="downloadable", mode="audit",
                      download_url="https://certs.example.com/pdf/1.pdf")
    assert get(client)[0]["certificate"] == {"url": "https://certs.example.com/pdf/1.pdf"}


def test_web_certificate(client, learner, settings):
    settings.OPENEDX_LEARNER_APIS = {"CERTIFICATES_HTML_VIEW": True}
    make_enrollment(learner, "course-v1:edX+Cert+1", self_paced=True)
    issue_certificate(learner, "course-v1:edX+Cert+1", status="downloadable", mode="audit")
    assert re.match(r"^http.*/certificates/[0-9a-f]{32}$", get(client)[0]["certificate"]["url"])


def test_certificate_hidden_until_course_ends(client, learner):
    make_enrollment(learner, "course-v1:edX+Cert+1", end=timezone.now() + timedelta(days=3))
    issue_certificate(learner, "course-v1:edX+Cert+1", status="downloadable", mode="audit", download_url="/c.pdf")
    assert get(client)[0]["certificate"] == {}
    upsert_course("course-v1:edX+Cert+1", end=timezone.now() - timedelta(days=1))
    assert get(client)[0]["certificate"] == {"url": "http://testserver/c.pdf"}


def test_not_downloadable_certificate(client, learner):
    make_enrollment(learner, "course-v1:edX+Cert+1", self_paced=True)
    issue_certificate(learner, "course-v1:edX+Cert+1", status="notpassing", mode="audit", download_url="/c.pdf")
    assert get(client)[0]["certificate"] == {}


def test_setting_reload_isolated():
    assert learner_apis_settings.SITE_COURSE_ORG_FILTER == []

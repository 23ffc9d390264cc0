"""GET /api/courseware/course/{course_key}: access, masquerade, fields, writes on GET, queries."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from waffle.models import Flag
from waffle.testutils import override_flag, override_switch

from openedx_learner_apis.api import (
    enroll,
    issue_certificate,
    set_course_goal,
    set_course_grade,
    set_preference,
    upsert_course_mode,
)
from openedx_learner_apis.applets.engagement.models import (
    CourseEnrollmentCelebration,
    LastSeenCoursewareTimezone,
    UserActivity,
    UserCelebration,
)
from openedx_learner_apis.applets.enrollments.models import CourseDurationLimitConfig
from openedx_learner_apis.hooks import DefaultHooks
from tests.course_builders import TOY_KEY, toy_course

pytestmark = pytest.mark.django_db

URL = f"/api/courseware/course/{TOY_KEY}"
MILESTONES = ("courseware.mfe_progress_milestones", "courseware.mfe_progress_milestones_streak_celebration")
HOOKS_PATH = "tests.rest_api.courseware.test_courseware_course.StubHooks"


class StubHooks(DefaultHooks):
    """A host that has verification, LinkedIn sharing and signed agreements."""

    signed = set()

    def verify_identity_url(self, user, course_key, *, status):
        return f"/id-verification?course_id={course_key}"

    def linkedin_add_to_profile_config(self):
        return {"company_identifier": "1337"}

    def has_integrity_signature(self, user, course_key):
        return user.username in self.signed

    def ecommerce_checkout_enabled(self, user):
        return True

    def ecommerce_checkout_url(self, user, *, course_key, sku):
        return f"https://shop.example.com/basket?sku={sku}&course_run_key={course_key}"


def learner_settings(**values):
    return override_settings(OPENEDX_LEARNER_APIS=values)


def masquerade(client, **entry):
    session = client.session
    session["masquerade_settings"] = {TOY_KEY: entry}
    session.save()


# Authorization matrix (docs/courseware.rst, "Status codes and error shapes").

def test_anonymous_visible_course(api_client, course):
    response = api_client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert body["enrollment"] == {"mode": None, "is_active": False}
    assert body["course_goals"] == {"selected_goal": None, "weekly_learning_goal_enabled": False}
    assert body["user_has_passing_grade"] is False
    assert body["can_enroll"] is False
    assert body["certificate_data"] is None
    assert body["related_programs"] is None


def test_anonymous_course_not_visible(api_client, course):
    course.enrollment_end = timezone.now() - timedelta(days=1)
    course.save()
    response = api_client.get(URL)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert response["Access-Control-Expose-Headers"] == "Date"


def test_enrolled_learner(session_client, learner, course):
    enroll(learner, TOY_KEY, "audit")
    set_course_goal(learner, TOY_KEY, 3, True)
    with override_flag("course_experience.enable_course_goals", active=True):
        body = session_client(learner).get(URL).json()
    assert body["enrollment"] == {"mode": "audit", "is_active": True}
    assert body["user_has_passing_grade"] is False
    assert body["verify_identity_url"] is None
    assert body["verification_status"] == "none"
    assert body["linkedin_add_to_profile_url"] is None
    assert body["course_goals"] == {"selected_goal": {"days_per_week": 3, "subscribed_to_reminders": True},
                                    "weekly_learning_goal_enabled": True}
    assert body["certificate_data"]["cert_status"] == "audit_passing"


def test_first_section_with_milestones(session_client, learner, course):
    with override_flag(MILESTONES[0], active=True):
        enroll(learner, TOY_KEY, "audit")
        body = session_client(learner).get(URL).json()
    assert body["celebrations"]["first_section"] is True
    assert body["celebrations"]["weekly_goal"] is False


def test_unenrolled_learner(session_client, learner, course):
    response = session_client(learner).get(URL)
    assert response.status_code == 200
    assert response.json()["enrollment"] == {"mode": None, "is_active": False}
    assert response.json()["can_enroll"] is True


def test_inactive_enrollment(session_client, learner, course):
    enroll(learner, TOY_KEY, "verified", is_active=False)
    body = session_client(learner).get(URL).json()
    assert body["enrollment"] == {"mode": "verified", "is_active": False}
    assert body["can_access_proctored_exams"] is False


def test_inactive_user_is_allowed(session_client, make_user, course):
    user = make_user("sleepy", is_active=False)
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    assert client.get(URL).status_code == 200


def test_jwt_learner(jwt_client, learner, course):
    enroll(learner, TOY_KEY, "audit")
    response = jwt_client(learner).get(URL)
    assert response.status_code == 200
    assert response.json()["enrollment"]["mode"] == "audit"


def test_staff_not_enrolled_sees_hidden_course(session_client, instructor, course):
    course.visible_to_staff_only = True
    course.save()
    response = session_client(instructor).get(URL)
    assert response.status_code == 200
    assert response.json()["show_courseware_link"] is True


def test_staff_only_course_is_404_for_learners(session_client, learner, course):
    course.visible_to_staff_only = True
    course.save()
    assert session_client(learner).get(URL).status_code == 404


def test_masquerade_as_role_student(session_client, instructor, course):
    client = session_client(instructor)
    masquerade(client, role="student", user_partition_id=None, group_id=None, user_name=None)
    with override_flag("course_experience.enable_course_goals", active=True):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["enrollment"] == {"mode": None, "is_active": False}
    assert not UserActivity.objects.exists()  # any masquerade: no activity


def test_masquerade_as_specific_learner(session_client, instructor, learner, course):
    enroll(learner, TOY_KEY, "verified")
    client = session_client(instructor)
    masquerade(client, role="student", user_partition_id=None, group_id=None, user_name="learner")
    with override_flag(MILESTONES[0], active=True), override_flag(MILESTONES[1], active=True), \
            override_flag("course_experience.enable_course_goals", active=True):
        body = client.get(URL).json()
    assert body["enrollment"] == {"mode": "verified", "is_active": True}
    assert body["can_access_proctored_exams"] is True
    assert body["celebrations"]["streak_length_to_celebrate"] is None
    assert not UserActivity.objects.exists()
    assert not UserCelebration.objects.exists()


def test_masquerade_naming_unenrolled_learner_is_dropped(session_client, instructor, other_learner, course):
    client = session_client(instructor)
    masquerade(client, role="student", user_name="other")
    assert client.get(URL).json()["enrollment"]["mode"] is None
    assert TOY_KEY not in client.session["masquerade_settings"]


def test_global_staff_username_shows_that_learner(session_client, staff_user, learner, course):
    enroll(learner, TOY_KEY, "verified")
    body = session_client(staff_user).get(URL, {"username": "learner"}).json()
    assert body["enrollment"] == {"mode": "verified", "is_active": True}


def test_global_staff_unknown_username_is_404(session_client, staff_user, course):
    assert session_client(staff_user).get(URL, {"username": "nobody"}).status_code == 404


def test_non_staff_naming_another_user_is_403(session_client, learner, other_learner, course):
    response = session_client(learner).get(URL, {"username": "other"})
    assert response.status_code == 403
    assert "detail" in response.json()


def test_own_username_and_empty_username_are_fine(session_client, learner, course):
    client = session_client(learner)
    assert client.get(URL, {"username": "LEARNER"}).status_code == 200
    assert client.get(URL, {"username": ""}).status_code == 200


def test_missing_course(api_client, db):
    response = api_client.get("/api/courseware/course/course-v1:does+not+exist")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("key", ["course-v1:edX+toy+bad key", "notakey+x+y", "course-v1:a+b+c+d+e"])
def test_malformed_key_is_400(api_client, db, key):
    response = api_client.get(f"/api/courseware/course/{key}")
    assert response.status_code == 400
    assert "detail" in response.json()
    assert response["Access-Control-Expose-Headers"] == "Date"


def test_wrong_method(session_client, learner, course):
    response = session_client(learner).post(URL)
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


# Fields.

def test_every_field_is_present(api_client, course):
    body = api_client.get(URL).json()
    expected = {
        "access_expiration", "content_type_gating_enabled", "course_goals", "effort", "end", "enrollment",
        "enrollment_start", "enrollment_end", "entrance_exam_data", "id", "license", "language", "media", "name",
        "offer", "org", "number", "related_programs", "short_description", "start", "start_display", "start_type",
        "pacing", "user_timezone", "show_calculator", "can_access_proctored_exams", "notes", "marketing_url",
        "celebrations", "user_has_passing_grade", "course_exit_page_is_active", "certificate_data",
        "verify_identity_url", "verification_status", "linkedin_add_to_profile_url",
        "is_integrity_signature_enabled", "user_needs_integrity_signature", "learning_assistant_enabled",
        "show_courseware_link", "is_course_full", "can_enroll", "invitation_only", "is_shib_course",
        "allow_anonymous", "ecommerce_checkout", "single_paid_mode", "ecommerce_checkout_link", "course_image_urls",
        "start_date_is_still_default", "advertised_start", "course_price", "pre_requisite_courses",
        "about_sidebar_html", "display_number_with_default", "display_org_with_default", "overview",
    }
    assert set(body) == expected
    assert body["id"] == TOY_KEY
    assert body["org"] == "edX" and body["number"] == "toy"
    assert body["end"] == "2028-01-01T00:00:00Z"
    assert body["pacing"] == "instructor"


def test_field_types(api_client, course):
    body = api_client.get(URL).json()
    for name in ("show_courseware_link", "is_course_full", "can_enroll", "invitation_only", "is_shib_course",
                 "allow_anonymous", "ecommerce_checkout", "start_date_is_still_default"):
        assert isinstance(body[name], bool), name
    assert isinstance(body["single_paid_mode"], dict)
    assert body["ecommerce_checkout_link"] is None or isinstance(body["ecommerce_checkout_link"], str)
    assert isinstance(body["course_image_urls"], list)
    assert body["advertised_start"] is None or isinstance(body["advertised_start"], str)
    assert isinstance(body["course_price"], str)
    assert isinstance(body["pre_requisite_courses"], list)


def test_media_and_image_urls_are_absolute(api_client, course):
    course.course_image_url = "/asset-v1:edX+toy+2012_Fall+type@asset+block@images_course_image.jpg"
    course.save()
    body = api_client.get(URL).json()
    assert body["media"]["course_image"]["uri"] == course.course_image_url
    assert body["media"]["image"]["raw"] == "http://testserver" + course.course_image_url
    assert body["course_image_urls"] == ["http://testserver" + course.course_image_url] * 3


def test_start_display_and_type(api_client, course):
    course.advertised_start = "Spring 2021"
    course.save()
    body = api_client.get(URL).json()
    assert (body["start_display"], body["start_type"], body["advertised_start"]) == (
        "Spring 2021", "string", "Spring 2021")
    course.advertised_start = ""
    course.start = datetime(2030, 1, 1, tzinfo=dt_timezone.utc)
    course.save()
    body = api_client.get(URL).json()
    assert (body["start_display"], body["start_type"], body["start_date_is_still_default"]) == (None, "empty", True)


def test_requested_fields_filter_and_skip_side_effects(session_client, learner, course):
    enroll(learner, TOY_KEY)
    client = session_client(learner)
    with override_flag(MILESTONES[0], active=True), override_flag(MILESTONES[1], active=True):
        assert client.get(URL, {"requested_fields": "id,name,bogus"}).json() == {"id": TOY_KEY, "name": "Toy Course"}
        assert client.get(URL, {"requested_fields": ""}).json() == {}
        assert not UserCelebration.objects.exists()  # the streak belongs to `celebrations`, not asked for
        client.get(URL, {"requested_fields": "celebrations"})
    assert UserCelebration.objects.get(user=learner).streak_length == 1


def test_date_header_is_exposed(api_client, course):
    response = api_client.get(URL)
    assert response["Access-Control-Expose-Headers"] == "Date"
    assert response.has_header("Date")


# The fields, one situation at a time.

@override_settings(OPENEDX_LEARNER_APIS={"HOOKS": HOOKS_PATH, "PLATFORM_NAME": "edX"})
def test_verified_learner_with_certificate(session_client, learner, course):
    enroll(learner, TOY_KEY, "verified")
    certificate = issue_certificate(learner, TOY_KEY, status="downloadable", mode="verified", grade="0.9")
    body = session_client(learner).get(URL).json()
    assert body["certificate_data"]["cert_status"] == "earned_but_not_available"
    assert body["verify_identity_url"] == f"http://testserver/id-verification?course_id={TOY_KEY}"
    assert body["verification_status"] == "none"
    url = body["linkedin_add_to_profile_url"]
    assert url.startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&")
    certificate.refresh_from_db()
    assert parse_qsl(urlsplit(url).query)[1:] == [
        ("name", "edX Verified Certificate for Toy Course"),
        ("certUrl", f"http://testserver/certificates/{certificate.verify_uuid}"),
        ("organizationId", "1337"), ("certId", certificate.verify_uuid),
        ("issueYear", str(certificate.created_date.year)), ("issueMonth", str(certificate.created_date.month)),
    ]


def test_downloadable_certificate_after_availability(session_client, learner, course):
    course.certificate_available_date = timezone.now() - timedelta(days=1)
    course.save()
    enroll(learner, TOY_KEY, "verified")
    certificate = issue_certificate(learner, TOY_KEY, status="downloadable", mode="verified", grade="0.9")
    data = session_client(learner).get(URL).json()["certificate_data"]
    assert data["cert_status"] == "downloadable"
    assert data["cert_web_view_url"].endswith(f"/certificates/{certificate.verify_uuid}")


def test_verified_learner_not_passing_has_no_certificate_message(session_client, learner, course):
    enroll(learner, TOY_KEY, "verified")
    assert session_client(learner).get(URL).json()["certificate_data"] is None
    set_course_grade(learner, TOY_KEY, 0.8, True)
    assert session_client(learner).get(URL).json()["certificate_data"]["cert_status"] == "requesting"


def test_anonymous_public_course(api_client, course):
    course.course_visibility = "public"
    course.save()
    with override_flag("seo.enable_anonymous_courseware_access", active=True):
        body = api_client.get(URL).json()
    assert body["enrollment"]["mode"] is None
    assert body["course_goals"]["selected_goal"] is None
    assert body["course_goals"]["weekly_learning_goal_enabled"] is False
    assert body["allow_anonymous"] is True


@pytest.mark.parametrize("discount", [True, False])
def test_streak_of_three(session_client, learner, course, discount):
    enroll(learner, TOY_KEY, "audit")
    yesterday = timezone.now().date() - timedelta(days=1)
    UserCelebration.objects.create(user=learner, last_day_of_streak=yesterday, streak_length=2, longest_ever_streak=2)
    with override_flag(MILESTONES[0], active=True), override_flag(MILESTONES[1], active=True), \
            override_flag("courseware.streak_discount_enabled", active=discount):
        celebrations = session_client(learner).get(URL).json()["celebrations"]
    assert celebrations["streak_length_to_celebrate"] == 3
    assert celebrations["streak_discount_enabled"] is discount


@pytest.mark.parametrize("mode, is_staff, signed, needs", [
    (None, False, False, False), ("verified", False, False, True), ("masters", False, False, False),
    ("audit", False, False, False), ("verified", False, True, False), ("masters", False, True, False),
    ("verified", True, False, True), ("audit", True, False, False),
])
def test_integrity_signature(session_client, make_user, course, mode, is_staff, signed, needs):
    user = make_user("signer", is_staff=is_staff)
    if mode:
        upsert_course_mode(TOY_KEY, mode)
        enroll(user, TOY_KEY, mode)
    StubHooks.signed = {"signer"} if signed else set()
    with learner_settings(ENABLE_INTEGRITY_SIGNATURE=True, HOOKS=HOOKS_PATH):
        body = session_client(user).get(URL).json()
    assert body["is_integrity_signature_enabled"] is True
    assert body["user_needs_integrity_signature"] is needs


def test_integrity_signature_off(session_client, learner, course):
    enroll(learner, TOY_KEY, "verified")
    body = session_client(learner).get(URL).json()
    assert (body["is_integrity_signature_enabled"], body["user_needs_integrity_signature"]) == (False, False)


def test_one_timezone_row_whatever_the_visits(session_client, learner, course):
    client = session_client(learner)
    client.get(URL, {"browser_timezone": "America/New_York"})
    cache.clear()
    client.get(URL, {"browser_timezone": "Asia/Karachi"})
    client.get(URL, {"browser_timezone": "Not/AZone"})
    assert LastSeenCoursewareTimezone.objects.filter(user=learner).count() == 1
    assert LastSeenCoursewareTimezone.objects.get(user=learner).last_seen_courseware_timezone == "Asia/Karachi"


@pytest.mark.parametrize("group_id, expected", [(1, False), (2, True), (3, True)])
def test_masquerade_as_track(session_client, staff_user, course, group_id, expected):
    enroll(staff_user, TOY_KEY, "audit")
    client = session_client(staff_user)
    masquerade(client, role="student", user_partition_id=50, group_id=group_id, user_name=None)
    with learner_settings(ENABLE_INTEGRITY_SIGNATURE=True):
        body = client.get(URL).json()
    assert body["user_needs_integrity_signature"] is expected
    assert body["can_access_proctored_exams"] is expected


@pytest.mark.parametrize("mode, expected", [
    ("audit", False), ("honor", False), ("verified", True), ("masters", True), ("professional", True),
    ("no-id-professional", True), ("executive-education", True), ("credit", True),
])
def test_proctored_exams_honor_disabled(session_client, learner, course, mode, expected):
    enroll(learner, TOY_KEY, mode)
    with learner_settings(DISABLE_HONOR_CERTIFICATES=True):
        assert session_client(learner).get(URL).json()["can_access_proctored_exams"] is expected


@pytest.mark.parametrize("mode, expected", [("audit", False), ("verified", True), ("honor", True),
                                            ("professional", True)])
def test_proctored_exams(session_client, learner, course, mode, expected):
    enroll(learner, TOY_KEY, mode)
    assert session_client(learner).get(URL).json()["can_access_proctored_exams"] is expected


@pytest.mark.parametrize("available", [True, False])
def test_learning_assistant(api_client, course, available):
    with learner_settings(LEARNING_ASSISTANT_AVAILABLE=available):
        assert api_client.get(URL).json()["learning_assistant_enabled"] is available


@pytest.mark.parametrize("full", [True, False])
def test_is_course_full(api_client, learner, course, full):
    enroll(learner, TOY_KEY)
    course.max_student_enrollments_allowed = 1 if full else 2
    course.save()
    assert api_client.get(URL).json()["is_course_full"] is full


@pytest.mark.parametrize("invite_only", [True, False])
def test_invitation_only(session_client, learner, course, invite_only):
    with learner_settings(COURSES_INVITE_ONLY=invite_only):
        body = session_client(learner).get(URL).json()
    assert body["invitation_only"] is invite_only
    assert body["can_enroll"] is not invite_only


@pytest.mark.parametrize("switch", [True, False])
def test_about_sidebar_html(api_client, course, switch):
    course.about_sidebar_html = "<p>About<script>alert('x')</script></p>"
    course.overview = "<h2>Overview</h2><script>steal()</script>"
    course.save()
    with override_switch("course_experience.enable_about_sidebar_html", active=switch):
        body = api_client.get(URL).json()
    assert body["about_sidebar_html"] == ("<p>About</p>" if switch else None)
    assert body["overview"] == "<h2>Overview</h2>"


@pytest.mark.parametrize("visible", [True, False])
def test_notes(session_client, learner, course, visible):
    course.notes_enabled = True
    course.save()
    enroll(learner, TOY_KEY)
    set_preference(learner, f"edxnotes_visibility.{TOY_KEY}", "true" if visible else "false")
    with learner_settings(ENABLE_EDXNOTES=True):
        assert session_client(learner).get(URL).json()["notes"] == {"enabled": True, "visible": visible}


def test_access_expiration_for_audit_learner(session_client, learner, course):
    CourseDurationLimitConfig.objects.create(enabled=True, enabled_as_of=datetime(2015, 1, 1, tzinfo=dt_timezone.utc))
    enrollment = enroll(learner, TOY_KEY, "audit")
    expiration = session_client(learner).get(URL).json()["access_expiration"]
    assert expiration["expiration_date"] is not None
    assert expiration["masquerading_expired_course"] is False
    assert expiration["upgrade_deadline"] == "3028-01-01T00:00:00Z"
    assert expiration["upgrade_url"] is None  # no store configured
    assert enrollment.mode == "audit"


def test_single_paid_mode_and_checkout_link(session_client, learner, course):
    upsert_course_mode(TOY_KEY, "professional", min_price=300, sku="PRO1")
    with learner_settings(HOOKS=HOOKS_PATH):
        body = session_client(learner).get(URL).json()
    assert body["ecommerce_checkout"] is True
    assert body["single_paid_mode"]["sku"] == "PRO1"
    assert body["ecommerce_checkout_link"] == f"https://shop.example.com/basket?sku=PRO1&course_run_key={TOY_KEY}"


def test_user_timezone_and_passing_grade(session_client, learner, course):
    enroll(learner, TOY_KEY, "verified")
    set_preference(learner, "time_zone", "Europe/Paris")
    set_course_grade(learner, TOY_KEY, 0.7, True)
    body = session_client(learner).get(URL).json()
    assert body["user_timezone"] == "Europe/Paris"
    assert body["user_has_passing_grade"] is True


def test_shib_and_prerequisites_and_price(api_client, course):
    course.enrollment_domain = "shib:https://idp.example.com"
    course.pre_requisite_courses = ["course-v1:edX+pre+2020", "not a key"]
    course.save()
    upsert_course_mode(TOY_KEY, "audit", min_price=5)
    body = api_client.get(URL).json()
    assert body["is_shib_course"] is True
    assert body["pre_requisite_courses"] == [{"key": "course-v1:edX+pre+2020", "display": "edX pre"}]
    assert body["course_price"] == "$5"


# Writes on GET: the documented ones only, idempotent.

def test_writes_are_idempotent(session_client, learner, course):
    enroll(learner, TOY_KEY)
    client = session_client(learner)
    with override_flag(MILESTONES[0], active=True), override_flag(MILESTONES[1], active=True), \
            override_flag("course_experience.enable_course_goals", active=True):
        for _ in range(3):
            client.get(URL, {"browser_timezone": "America/New_York"})
            cache.clear()
    assert UserActivity.objects.filter(user=learner).count() == 1
    assert LastSeenCoursewareTimezone.objects.filter(user=learner).count() == 1
    streak = UserCelebration.objects.get(user=learner)
    assert (streak.streak_length, streak.longest_ever_streak) == (1, 1)


def test_weekly_goal_celebration(session_client, learner, course):
    enroll(learner, TOY_KEY)
    CourseEnrollmentCelebration.objects.update_or_create(
        enrollment__user=learner, defaults={"enrollment": learner.learner_enrollments.get(),
                                            "celebrate_weekly_goal": True})
    set_course_goal(learner, TOY_KEY, 1, False)
    with override_flag("course_experience.enable_course_goals", active=True):
        celebrations = session_client(learner).get(URL).json()["celebrations"]
    assert celebrations["weekly_goal"] is True


# Query counts: a fixed number whatever the course size.

def _measure(client, url, params, django_assert_num_queries, expected):
    client.get(url, params)  # warm the caches (waffle flags, outline)
    with django_assert_num_queries(expected):
        assert client.get(url, params).status_code == 200


# Session and user 2, course and modes 2, roles 1, enrollment with celebration 1, preferences 1,
# goal 1, streak row 3 (savepoint, locked select, release), weekly activity 1, grade 1,
# certificate 1. The day's activity row, time zone and duration limits are cached after the first visit.
COURSE_INFO_QUERIES = 14


def test_query_count_is_bounded_and_size_independent(session_client, learner, django_assert_num_queries):
    """The same number of queries for a 10-unit and a 100-unit course, at most 30."""
    client = session_client(learner)
    with override_flag(MILESTONES[0], active=True), override_flag(MILESTONES[1], active=True), \
            override_flag("course_experience.enable_course_goals", active=True), \
            override_flag("courseware.streak_discount_enabled", active=True):
        for key, units in (("course-v1:edX+small+run", 10), ("course-v1:edX+large+run", 100)):
            toy_course(course_key=key, units=units)
            enroll(learner, key, "audit")
            set_course_goal(learner, key, 3, True)
            _measure(client, f"/api/courseware/course/{key}", {"browser_timezone": "Europe/Paris"},
                     django_assert_num_queries, COURSE_INFO_QUERIES)
    assert COURSE_INFO_QUERIES <= 30


def test_flags_are_evaluated_for_the_request_user(session_client, learner, staff_user, course):
    """A waffle flag on for staff only shows the exit page to staff, not to learners."""
    Flag.objects.create(name="courseware.microfrontend_course_exit_page", staff=True)
    params = {"requested_fields": "course_exit_page_is_active"}
    assert session_client(staff_user).get(URL, params).json() == {"course_exit_page_is_active": True}
    assert session_client(learner).get(URL, params).json() == {"course_exit_page_is_active": False}

"""``course_info/{course_id}/handouts`` and ``/updates``: the pages the enrollment payload links to.

Shapes are the ones the Android app parses: ``{"handouts_html": str|null}`` and a list of
``{"date", "content", "status", "id"}``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from openedx_learner_apis.api import (
    enroll,
    get_course_handouts,
    get_course_updates,
    grant_course_role,
    import_olx,
    set_course_info_page,
    unenroll,
    upsert_course,
)
from tests.course_builders import build_course
from tests.course_exports import DHIS2_OLX

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Info+1"
ASSET = "http://testserver/asset-v1:edX+Info+1+type@asset+block@"
VERSIONS = ["v0.5", "v1", "v2", "v3", "v4"]
DHIS2 = str(DHIS2_OLX)
HANDOUTS = '<ol><li><a href="/static/syllabus.pdf">Syllabus</a></li></ol>'
UPDATES = [
    {"id": 1, "date": "January 1, 2024", "content": "<p>first</p>", "status": "visible"},
    {"id": 2, "date": "January 8, 2024", "content": "<p>removed</p>", "status": "deleted"},
    {"id": 3, "date": "January 15, 2024", "content": '<img src="/static/images/week 3.png"/>', "status": "visible"},
]


def url(page: str, version: str = "v1", key: str = KEY) -> str:
    return f"/api/mobile/{version}/course_info/{key}/{page}"


@pytest.fixture
def course(learner):
    course, _ = build_course(KEY)
    set_course_info_page(KEY, "handouts", html=HANDOUTS)
    set_course_info_page(KEY, "updates", items=UPDATES)
    enroll(learner, KEY)
    return course


@pytest.fixture
def client(session_client, learner, course):
    return session_client(learner)


def assert_error(response, status: int, error_code: str):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert body["error_code"] == error_code, body
    assert isinstance(body["developer_message"], str) and body["developer_message"]
    return body


# The Android app's shapes.

@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("slash", ["", "/"])
def test_handouts_shape(client, version, slash):
    response = client.get(url("handouts", version) + slash)
    assert response.status_code == 200
    assert response.json() == {"handouts_html": f'<ol><li><a href="{ASSET}syllabus.pdf">Syllabus</a></li></ol>'}


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("slash", ["", "/"])
def test_updates_shape_newest_first_without_deleted(client, version, slash):
    response = client.get(url("updates", version) + slash)
    assert response.status_code == 200
    body = response.json()
    assert body == [
        {"id": 3, "date": "January 15, 2024", "status": "visible", "content": f'<img src="{ASSET}images_week_3.png">'},
        {"id": 1, "date": "January 1, 2024", "status": "visible", "content": "<p>first</p>"},
    ]
    for item in body:
        assert set(item) == {"date", "content", "status", "id"}
        assert isinstance(item["id"], int) and all(isinstance(item[k], str) for k in ("date", "content", "status"))


def test_a_course_without_pages(client, learner):
    build_course("course-v1:edX+Bare+1")
    enroll(learner, "course-v1:edX+Bare+1")
    assert client.get(url("handouts", key="course-v1:edX+Bare+1")).json() == {"handouts_html": None}
    assert client.get(url("updates", key="course-v1:edX+Bare+1")).json() == []


@pytest.mark.parametrize("html", ["", "<ol></ol>", "  <ol></ol>\n", "<script>alert(1)</script>"])
def test_empty_handouts_are_null(client, html):
    set_course_info_page(KEY, "handouts", html=html)
    assert client.get(url("handouts")).json() == {"handouts_html": None}


def test_hidden_statuses_and_missing_fields(client):
    set_course_info_page(KEY, "updates", items=[{"content": "<p>a</p>", "date": "d1"},
                                                {"content": "<p>b</p>", "status": "hidden"},
                                                {"content": "<p>c</p>", "date": "d3", "status": "visible"}])
    assert client.get(url("updates")).json() == [
        {"id": 3, "date": "d3", "status": "visible", "content": "<p>c</p>"},
        {"id": 1, "date": "d1", "status": "visible", "content": "<p>a</p>"},
    ]


def test_author_html_is_sanitized(client):
    set_course_info_page(KEY, "handouts", html='<p onclick="x()">Hi<script>steal()</script></p>'
                                               '<a href="javascript:x()">x</a>')
    assert client.get(url("handouts")).json() == {"handouts_html": "<p>Hi</p><a>x</a>"}


def test_links_use_lms_root_url(client):
    with override_settings(OPENEDX_LEARNER_APIS={"LMS_ROOT_URL": "https://lms.example.com/"}):
        body = client.get(url("handouts")).json()
    assert body["handouts_html"] == ('<ol><li><a href="https://lms.example.com/asset-v1:edX+Info+1+type@asset'
                                     '+block@syllabus.pdf">Syllabus</a></li></ol>')


# Access: the same checks as course_status_info.

def test_anonymous_is_401(api_client, course):
    for page in ("handouts", "updates"):
        body = assert_error(api_client.get(url(page)), 401, "not_authenticated")
        assert "detail" in body


@pytest.mark.parametrize("page", ["handouts", "updates"])
def test_owner_enrolled_with_jwt(jwt_client, learner, course, page):
    assert jwt_client(learner).get(url(page)).status_code == 200


@pytest.mark.parametrize("page", ["handouts", "updates"])
def test_inactive_enrolled_learner(jwt_client, learner, course, page):
    learner.is_active = False
    learner.save()
    assert jwt_client(learner).get(url(page)).status_code == 200


@pytest.mark.parametrize("page", ["handouts", "updates"])
def test_other_learner_not_enrolled_is_404(session_client, other_learner, course, page):
    body = assert_error(session_client(other_learner).get(url(page)), 404, "not_found")
    assert body["detail"] == "Not found."


@pytest.mark.parametrize("page", ["handouts", "updates"])
def test_an_unenrolled_learner_is_404(client, learner, page):
    unenroll(learner, KEY)
    assert_error(client.get(url(page)), 404, "not_found")


@pytest.mark.parametrize("page", ["handouts", "updates"])
def test_global_staff_not_enrolled(session_client, staff_user, course, page):
    assert session_client(staff_user).get(url(page)).status_code == 200


@pytest.mark.parametrize("page", ["handouts", "updates"])
def test_course_staff_not_enrolled_even_before_start(session_client, make_user, course, page):
    teacher = make_user("teacher")
    grant_course_role(teacher, KEY, "staff")
    upsert_course(KEY, start=timezone.now() + timedelta(days=30), mobile_available=False)
    assert session_client(teacher).get(url(page)).status_code == 200


@pytest.mark.parametrize("page", ["handouts", "updates"])
def test_restricted_application_is_403(jwt_client, learner, course, page):
    client = jwt_client(learner, scopes=["certificates:read"], filters=["user:me"], is_restricted=True)
    body = assert_error(client.get(url(page)), 403, "permission_denied")
    assert "restricted applications" in body["developer_message"]


@pytest.mark.parametrize("page", ["handouts", "updates"])
def test_restricted_application_granted_the_family(jwt_client, learner, course, page):
    client = jwt_client(learner, scopes=["mobile:read"], is_restricted=True)
    with override_settings(OPENEDX_LEARNER_APIS={"RESTRICTED_APPLICATION_SCOPES": {"mobile": ["mobile:read"]}}):
        assert client.get(url(page)).status_code == 200


@pytest.mark.parametrize("page", ["handouts", "updates"])
@pytest.mark.parametrize("key", ["course-v1:edX+Nope+1", "course-v1:EDX+INFO+1", "not-a-key+x+y", "edX/Nope/1"])
def test_unknown_or_malformed_course(client, page, key):
    body = assert_error(client.get(url(page, key=key)), 404, "course_not_found")
    assert body["detail"] == "Course not found."


@pytest.mark.parametrize("page", ["handouts", "updates"])
@pytest.mark.parametrize("fields, error_code", [
    ({"start": timedelta(days=365)}, "course_not_started"),
    ({"mobile_available": False}, "mobile_unavailable"),
    ({"visible_to_staff_only": True}, "not_visible_to_user"),
])
def test_access_errors_carry_the_access_object(client, page, fields, error_code):
    if "start" in fields:  # a start that far from now
        fields = {"start": timezone.now() + fields["start"]}
    upsert_course(KEY, **fields)
    body = assert_error(client.get(url(page)), 404, error_code)
    assert body["has_access"] is False


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_other_methods_are_405(client, method):
    assert_error(getattr(client, method)(url("updates")), 405, "method_not_allowed")


@pytest.mark.parametrize("path", ["v9/course_info/course-v1:edX+Info+1/updates",
                                  "v1/course_info/course-v1:edX+Info+1/about",
                                  "v1/course_info/course-v1:edX+Info+1/updates/extra"])
def test_other_course_info_urls_stay_json_404s(client, path):
    assert_error(client.get(f"/api/mobile/{path}"), 404, "not_found")


# The enrollment payload's links lead here.

@pytest.mark.parametrize("version", VERSIONS)
def test_payload_links_answer(client, version):
    body = client.get(f"/api/mobile/{version}/users/learner/course_enrollments/").json()
    enrollments = body if isinstance(body, list) else body["enrollments"]
    items = enrollments if isinstance(enrollments, list) else enrollments["results"]
    course = (items[0] if items else body["primary"])["course"]
    assert course["course_handouts"] == f"http://testserver{url('handouts', version)}"
    assert course["course_updates"] == f"http://testserver{url('updates', version)}"
    assert client.get(course["course_handouts"]).json()["handouts_html"].startswith("<ol>")
    assert [item["id"] for item in client.get(course["course_updates"]).json()] == [3, 1]


def test_payload_links_point_at_the_lms_when_it_serves_them(client):
    with override_settings(OPENEDX_LEARNER_APIS={"MOBILE_COURSE_INFO_URL_ROOT": "https://lms.example.com/"}):
        course = client.get("/api/mobile/v1/users/learner/course_enrollments/").json()[0]["course"]
    assert course["course_updates"] == f"https://lms.example.com/api/mobile/v1/course_info/{KEY}/updates"
    assert course["course_handouts"] == f"https://lms.example.com/api/mobile/v1/course_info/{KEY}/handouts"


# Queries: constant whatever the number of updates.

def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_query_counts_are_constant(client):
    client.get(url("updates"))  # configuration rows are cached from the first request on
    one = count_queries(client, url("updates"))
    set_course_info_page(KEY, "updates", items=[{"id": n, "content": f'<a href="/static/{n}.pdf">{n}</a>'}
                                                for n in range(1, 101)])
    assert count_queries(client, url("updates")) == one
    assert count_queries(client, url("handouts")) == one
    assert one == 7, one  # session, user, course, its modes, enrollment, roles, page


# Through the importer, with a real course export.

def test_a_real_export(client, learner):
    key = str(import_olx(DHIS2))
    upsert_course(key, mobile_available=True)
    enroll(learner, key)
    handouts = client.get(url("handouts", key=key)).json()["handouts_html"]
    assert ('href="http://testserver/asset-v1:HISP_UiO+DHIS2_101+course+type@asset'
            '+block@DHIS2_Fundamentals_Online_Course_Overview.pdf"') in handouts
    assert 'href="mailto:fundamentals-support@dhis2.org"' in handouts
    updates = client.get(url("updates", "v4", key=key)).json()
    assert len(updates) == 28  # 34 in the export, 6 of them deleted
    assert [item["id"] for item in updates[:3]] == [34, 33, 32]
    assert updates[0]["date"] == "September 7, 2020" and updates[-1]["date"] == "March 31, 2017"
    assert {item["status"] for item in updates} == {"visible"}


# The Python API.

def test_python_api(course):
    assert get_course_handouts(KEY, root="https://lms.example.com") == (
        '<ol><li><a href="https://lms.example.com/asset-v1:edX+Info+1+type@asset+block@syllabus.pdf">'
        "Syllabus</a></li></ol>")
    assert [item["id"] for item in get_course_updates(KEY, root="https://lms.example.com")] == [3, 1]


@pytest.mark.parametrize("name, items", [("syllabus", None), ("updates", "text"), ("updates", [1, 2]),
                                         ("updates", [{"id": "x"}])])
def test_python_api_refuses_bad_pages(course, name, items):
    with pytest.raises(ValueError):
        set_course_info_page(KEY, name, items=items)


# The OpenAPI schema.

def test_schema_describes_both_routes():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for page, operation_id in (("handouts", "mobile_course_handouts"), ("updates", "mobile_course_updates")):
        path = f"/api/mobile/{{api_version}}/course_info/{{course_key_string}}/{page}"
        operation = schema["paths"][path]["get"]
        assert operation["operationId"] == operation_id
        assert {"200", "401", "403", "404"} <= set(operation["responses"])
    components = schema["components"]["schemas"]
    assert set(components["MobileCourseHandouts"]["properties"]) == {"handouts_html"}
    assert set(components["MobileCourseUpdate"]["properties"]) == {"id", "date", "status", "content"}


@pytest.mark.parametrize("key", [KEY, "edX/Old/Run", "course-v1:Org-1+N.u_m~+2024:T1"])
@pytest.mark.parametrize("version", ["v0.5", "v4"])
def test_payload_link_builder_matches_reverse(key, version):
    """The hook reverses each route once per request; its links are exactly what reverse() gives."""
    from django.test import RequestFactory
    from django.urls import resolve, reverse
    from opaque_keys.edx.keys import CourseKey

    from openedx_learner_apis.hooks import DefaultHooks

    request = RequestFactory().get(f"/api/mobile/{version}/users/learner/course_enrollments/")
    request.resolver_match = resolve(request.path)
    hooks = DefaultHooks()
    for kind in ("updates", "handouts", "updates"):
        expected = reverse(f"mobile_api:course-{kind}-list", kwargs={"api_version": version, "course_key_string": key})
        link = hooks.mobile_course_info_url(request, CourseKey.from_string(key), api_version=version, kind=kind)
        assert link == "http://testserver" + expected
        assert resolve(expected).url_name == f"course-{kind}-list"
    outside = RequestFactory().get("/")  # no resolved route: the app's own namespace
    assert DefaultHooks().mobile_course_info_url(outside, CourseKey.from_string(key), api_version=version,
                                                 kind="handouts") == "http://testserver" + reverse(
        "mobile_api:course-handouts-list", kwargs={"api_version": version, "course_key_string": key})

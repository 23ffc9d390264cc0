"""Authorization matrix of every mobile route (docs/mobile.rst, "Permissions"), routing details and bad URLs."""

from __future__ import annotations

import pytest

from openedx_learner_apis.api import enroll
from openedx_learner_apis.applets.progress.models import CoursewarePosition
from tests.course_builders import build_course

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Auth+1"
VERSIONS = ["v0.5", "v1", "v2", "v3", "v4"]
ROUTES = {
    "detail": ("/api/mobile/{v}/users/{u}", 200),
    "enrollments": ("/api/mobile/{v}/users/{u}/course_enrollments/", 200),
    "status_info": ("/api/mobile/{v}/users/{u}/course_status_info/" + KEY, 200),
    "enrollments_status": ("/api/mobile/{v}/users/{u}/enrollments_status/", 200),
}


@pytest.fixture(autouse=True)
def course(learner):
    course, keys = build_course(KEY)
    enroll(learner, KEY)
    return course


def url(route, username="learner", version="v1"):
    return ROUTES[route][0].format(v=version, u=username)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("version", VERSIONS)
def test_anonymous_is_401(api_client, route, version):
    response = api_client.get(url(route, version=version))
    assert response.status_code == 401
    assert "detail" in response.json()


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("version", VERSIONS)
def test_owner_session(session_client, learner, route, version):
    assert session_client(learner).get(url(route, version=version)).status_code == 200


@pytest.mark.parametrize("route", ROUTES)
def test_owner_jwt(jwt_client, learner, route):
    assert jwt_client(learner).get(url(route)).status_code == 200


@pytest.mark.parametrize("route", ROUTES)
def test_inactive_owner_is_accepted(jwt_client, learner, route):
    learner.is_active = False
    learner.save()
    assert jwt_client(learner).get(url(route)).status_code == 200


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("version", ["v0.5", "v2", "v4"])
def test_owner_with_other_case_resolves_to_owner(session_client, learner, route, version):
    """The URL user is resolved case-insensitively, whatever the database collation."""
    response = session_client(learner).get(url(route, username="LEARNER", version=version))
    assert response.status_code == 200
    if route == "enrollments" and version == "v0.5":
        assert len(response.json()) == 1


@pytest.mark.parametrize("route", ROUTES)
def test_other_learner_is_403(session_client, other_learner, route):
    response = session_client(other_learner).get(url(route))
    assert response.status_code == 403
    assert "detail" in response.json()


@pytest.mark.parametrize("route", ROUTES)
def test_staff_for_another_user_is_403(session_client, staff_user, route):
    assert session_client(staff_user).get(url(route)).status_code == 403


@pytest.mark.parametrize("route", ROUTES)
def test_unknown_username_is_403(session_client, learner, route):
    assert session_client(learner).get(url(route, username="no_user")).status_code == 403


def test_patch_matrix(api_client, session_client, learner, other_learner, staff_user, jwt_client):
    body = {"last_visited_module_id": "block-v1:edX+Auth+1+type@vertical+block@ch1s2u1"}
    target = url("status_info")
    assert api_client.patch(target, body, format="json").status_code == 401
    assert session_client(other_learner).patch(target, body, format="json").status_code == 403
    assert session_client(staff_user).patch(target, body, format="json").status_code == 403
    assert not CoursewarePosition.objects.exists()
    assert jwt_client(learner).patch(target, body, format="json").status_code == 200


def test_my_user_info(api_client, session_client, jwt_client, learner):
    assert api_client.get("/api/mobile/v1/my_user_info").status_code == 401
    clients = (session_client(learner), jwt_client(learner))
    learner.refresh_from_db()
    last_login = learner.last_login
    for client in clients:
        for version in VERSIONS:
            response = client.get(f"/api/mobile/{version}/my_user_info")
            assert response.status_code == 302
            assert response["Location"] == f"/api/mobile/{version}/users/learner"
    learner.refresh_from_db()
    assert learner.last_login == last_login  # my_user_info writes nothing


@pytest.mark.parametrize("path", [
    "/api/mobile/v1/my_user_info/", "/api/mobile/v1/users/learner/", "/api/mobile/v1/users/learner/course_enrollments",
    f"/api/mobile/v1/users/learner/course_status_info/{KEY}/", "/api/mobile/v1/users/learner/enrollments_status",
])
def test_slash_variants(session_client, learner, path):
    assert session_client(learner).get(path).status_code in (200, 302)


@pytest.mark.parametrize("path", [
    "/api/mobile/v0x5/users/learner", "/api/mobile/v5/users/learner",
    f"/api/mobile/v1/users/learner/course_status_info/{KEY}/junk", "/api/mobile/v1/users/learner/enrollments_status/x",
])
def test_unknown_versions_and_trailing_junk_do_not_route(session_client, learner, path):
    assert session_client(learner).get(path).status_code == 404


@pytest.mark.parametrize("method", ["head", "options", "post", "put", "delete"])
def test_course_status_allows_get_and_patch_only(session_client, learner, method):
    assert getattr(session_client(learner), method)(url("status_info")).status_code == 405


@pytest.mark.parametrize("course_id", ["edX+Auth+1+", "course-v1:edX+Auth", "a+b+c", "course-v1:+b+c", "a/b/c d"])
def test_malformed_course_id_is_404(session_client, learner, course_id):
    for method in ("get", "patch"):
        response = getattr(session_client(learner), method)(
            f"/api/mobile/v1/users/learner/course_status_info/{course_id}")
        assert response.status_code == 404


def test_user_detail_fields(session_client, learner):
    from openedx_learner_apis.api import get_or_create_profile
    body = session_client(learner).get("/api/mobile/v1/users/learner").json()
    assert body == {"id": learner.id, "username": "learner", "email": "learner@example.com", "name": None,
                    "course_enrollments": "http://testserver/api/mobile/v1/users/learner/course_enrollments/"}
    get_or_create_profile(learner, name="Lee Learner")
    assert session_client(learner).get("/api/mobile/v0.5/users/LEARNER").json()["name"] == "Lee Learner"


def test_list_methods_not_allowed(session_client, learner):
    assert session_client(learner).post(url("enrollments")).status_code == 405
    assert session_client(learner).delete(url("detail")).status_code == 405

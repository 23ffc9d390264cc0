"""GET /api/certificates/v0/certificates/{username}/[courses/{course_id}/] (rules in docs/certificates.rst)."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from opaque_keys.edx.keys import CourseKey
from rest_framework.test import APIClient

from openedx_learner_apis import api
from openedx_learner_apis.applets.certificates.models import Certificate
from openedx_learner_apis.applets.courses.models import Course
from openedx_learner_apis.hooks import DefaultHooks

pytestmark = pytest.mark.django_db

COURSE = CourseKey.from_string("course-v1:edx+verified+2024")
SCOPE = ["certificates:read"]
ALLOW_INACTIVE = override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.AllowAllUsersModelBackend"])
HTML_ON = override_settings(OPENEDX_LEARNER_APIS={"CERTIFICATES_HTML_VIEW": True})
# List queries per requester, the same for 1 and 30 certificates: session requests add the session
# and user rows; other learners add the owner's preferences and profile.
LIST_QUERIES = {"owner": 5, "other": 7, "staff-jwt": 4, "restricted-jwt": 4}


def detail_url(username="learner", course_id=COURSE):
    return reverse("certificates_api:v0:certificates:detail",
                   kwargs={"username": username, "course_key_string": str(course_id)})


def list_url(username="learner"):
    return reverse("certificates_api:v0:certificates:list", kwargs={"username": username})


def iso(value):
    return value.isoformat().replace("+00:00", "Z")


@pytest.fixture
def course(db):
    return api.upsert_course(COURSE, display_name="Verified Course", cert_html_view_enabled=True, self_paced=True)


@pytest.fixture
def cert(learner, course):
    return api.issue_certificate(learner, COURSE, status="downloadable", mode="verified", grade="0.88",
                                 download_url="www.google.com")


def born(years_ago: int) -> int:
    """A year of birth ``years_ago`` years before the test runs (read when called, never at import)."""
    return datetime.date.today().year - years_ago


def share(user, *, privacy="all_users", year_of_birth=1977, certificates="all_users", age=None):
    api.get_or_create_profile(user, year_of_birth=born(age) if age is not None else year_of_birth)
    if privacy:
        api.set_account_privacy(user, privacy)
    if certificates:
        api.set_preference(user, "visibility.course_certificates", certificates)


def expected_detail(cert):
    return {"username": "learner", "course_id": str(COURSE), "certificate_type": "verified",
            "created_date": iso(cert.created_date), "status": "downloadable", "is_passing": True,
            "download_url": "www.google.com", "grade": "0.88"}


def expected_item(cert):
    return {"username": "learner", "course_id": str(COURSE), "course_display_name": "Verified Course",
            "course_organization": "edx", "certificate_type": "verified", "created_date": iso(cert.created_date),
            "modified_date": iso(cert.modified_date), "status": "downloadable", "is_passing": True,
            "download_url": "www.google.com", "grade": "0.88"}


def restricted(jwt_client, user, *, scopes=SCOPE, filters=()):
    return jwt_client(user, scopes=list(scopes), filters=list(filters), is_restricted=True)


class TestDetailAuthorization:
    """docs/certificates.rst permission matrix, detail column: one test per row."""

    def test_anonymous(self, cert):
        assert APIClient().get(detail_url()).status_code == 401

    def test_owner_session(self, cert, learner, session_client):
        response = session_client(learner).get(detail_url())
        assert response.status_code == 200
        assert response.json() == expected_detail(cert)

    def test_owner_jwt(self, cert, learner, jwt_client):
        assert jwt_client(learner).get(detail_url()).json() == expected_detail(cert)

    def test_owner_with_another_case(self, cert, learner, session_client):
        response = session_client(learner).get(detail_url("LEARNER"))
        assert response.status_code == 200
        assert response.json()["username"] == "learner"

    @pytest.mark.parametrize("profile", [
        {"privacy": "private", "certificates": None},
        {},
        {"privacy": "custom"},
    ], ids=["private", "public", "custom"])
    def test_other_learner_is_403_whatever_the_profile(self, cert, learner, other_learner, session_client,
                                                        profile):
        share(learner, **profile)
        assert session_client(other_learner).get(detail_url()).status_code == 403

    def test_staff_session(self, cert, staff_user, session_client):
        assert session_client(staff_user).get(detail_url()).json() == expected_detail(cert)

    def test_staff_jwt(self, cert, staff_user, jwt_client):
        assert jwt_client(staff_user).get(detail_url()).status_code == 200

    def test_staff_unknown_user(self, staff_user, session_client):
        response = session_client(staff_user).get(detail_url("nobody"))
        assert response.status_code == 404
        assert response.json() == {"error_code": "no_certificate_for_user"}

    def test_restricted_jwt_with_scope_org_and_user(self, cert, learner, jwt_client):
        client = restricted(jwt_client, learner, filters=["content_org:edx", "user:learner"])
        assert client.get(detail_url()).json() == expected_detail(cert)

    def test_restricted_jwt_of_another_user_with_scope_org_and_user(self, cert, other_learner, jwt_client):
        client = restricted(jwt_client, other_learner, filters=["content_org:edx", "user:learner"])
        assert client.get(detail_url()).status_code == 200

    def test_restricted_jwt_without_scope(self, cert, learner, jwt_client):
        client = restricted(jwt_client, learner, scopes=["read"], filters=["content_org:edx", "user:me"])
        assert client.get(detail_url()).status_code == 403

    def test_restricted_jwt_without_user_filter(self, cert, other_learner, jwt_client):
        client = restricted(jwt_client, other_learner, filters=["content_org:edx"])
        assert client.get(detail_url()).status_code == 200

    def test_restricted_jwt_user_me_for_another_user(self, cert, other_learner, jwt_client):
        client = restricted(jwt_client, other_learner, filters=["content_org:edx", "user:me"])
        assert client.get(detail_url()).status_code == 403

    @pytest.mark.parametrize("filters", [["user:me"], ["content_org:MITx", "user:me"]], ids=["missing", "other"])
    def test_restricted_jwt_without_the_course_org(self, cert, learner, jwt_client, filters):
        assert restricted(jwt_client, learner, filters=filters).get(detail_url()).status_code == 403

    def test_non_restricted_jwt_on_behalf_of_another_user_staff(self, cert, staff_user, jwt_client):
        client = jwt_client(staff_user, scopes=SCOPE, filters=["user:me"])
        assert client.get(detail_url()).status_code == 200

    def test_non_restricted_jwt_on_behalf_of_another_user_learner(self, cert, other_learner, jwt_client):
        client = jwt_client(other_learner, scopes=SCOPE, filters=["user:me"])
        assert client.get(detail_url()).status_code == 403

    def test_expired_jwt(self, cert, learner, jwt_client):
        assert jwt_client(learner, expires_in=-60).get(detail_url()).status_code == 401

    def test_invalid_jwt(self, cert):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="JWT not.a.token")
        assert client.get(detail_url()).status_code == 401

    @ALLOW_INACTIVE
    def test_inactive_owner(self, course, make_user, session_client):
        sleepy = make_user("sleepy", is_active=False)
        api.issue_certificate(sleepy, COURSE, status="downloadable", mode="honor", download_url="x")
        assert session_client(sleepy).get(detail_url("sleepy")).status_code == 200

    def test_post_by_owner_is_405(self, cert, learner, session_client):
        assert session_client(learner).post(detail_url()).status_code == 405


class TestDetail:
    def test_no_certificate_for_user(self, course, learner, session_client):
        response = session_client(learner).get(detail_url())
        assert response.status_code == 404
        assert response.json() == {"error_code": "no_certificate_for_user"}

    def test_no_certificate_configuration(self, cert, learner, session_client):
        Certificate.objects.update(download_url="")
        response = session_client(learner).get(detail_url())
        assert response.status_code == 404
        assert response.json() == {"error_code": "no_certificate_configuration_for_course"}

    def test_web_certificate_of_a_deleted_course(self, cert, learner, session_client):
        Certificate.objects.update(download_url="")
        Course.objects.all().delete()
        assert session_client(learner).get(detail_url()).json() == {"error_code": "no_certificate_for_user"}

    @pytest.mark.parametrize("course_id", ["foo+bar+baz", "a/b+c", "course-v1:edx+x+y+z", "org+course/run"])
    def test_course_id_not_valid(self, learner, session_client, course_id):
        response = session_client(learner).get(f"/api/certificates/v0/certificates/learner/courses/{course_id}/")
        assert response.status_code == 404
        assert response.json() == {"error_code": "course_id_not_valid"}

    def test_course_id_not_valid_with_a_restricted_jwt(self, learner, jwt_client):
        client = restricted(jwt_client, learner, filters=["content_org:foo", "user:me"])
        response = client.get("/api/certificates/v0/certificates/learner/courses/foo+bar+baz/")
        assert response.json() == {"error_code": "course_id_not_valid"}

    def test_course_id_not_valid_anonymous_is_still_401(self, db):
        assert APIClient().get("/api/certificates/v0/certificates/learner/courses/foo+bar+baz/").status_code == 401

    def test_not_passing_certificate_is_shown(self, course, learner, session_client):
        api.issue_certificate(learner, COURSE, status="notpassing", mode="audit", download_url="https://x/c.pdf")
        body = session_client(learner).get(detail_url()).json()
        assert (body["status"], body["is_passing"], body["download_url"]) == ("notpassing", False, None)

    @pytest.mark.parametrize("status", ["audit_passing", "audit_notpassing"])
    def test_audit_statuses_are_hidden(self, course, learner, session_client, status):
        api.issue_certificate(learner, COURSE, status=status, mode="audit", download_url="https://x/c.pdf")
        assert session_client(learner).get(detail_url()).status_code == 404

    def test_legacy_course_key(self, learner, session_client):
        key = CourseKey.from_string("edX/DemoX/Demo_Course")
        api.issue_certificate(learner, key, status="downloadable", mode="honor", download_url="x.pdf")
        response = session_client(learner).get(detail_url(course_id=key))
        assert response.json()["course_id"] == "edX/DemoX/Demo_Course"

    @pytest.mark.parametrize("suffix", ["", "/"])
    def test_trailing_slash_is_optional(self, cert, learner, session_client, suffix):
        path = f"/api/certificates/v0/certificates/learner/courses/{COURSE}{suffix}"
        assert session_client(learner).get(path).status_code == 200

    @HTML_ON
    def test_web_certificate_url(self, cert, learner, session_client):
        Certificate.objects.update(download_url="")
        Course.objects.update(has_any_active_web_certificate=True)
        body = session_client(learner).get(detail_url()).json()
        assert body["download_url"] == f"/certificates/{cert.verify_uuid}"


class TestListAuthorization:
    """docs/certificates.rst permission matrix, list column, with its rule for unknown users."""

    def test_anonymous(self, cert):
        assert APIClient().get(list_url()).status_code == 401

    def test_owner(self, cert, learner, session_client):
        response = session_client(learner).get(list_url())
        assert response.status_code == 200
        assert response.json() == [expected_item(cert)]

    def test_owner_with_another_case(self, cert, learner, session_client):
        assert len(session_client(learner).get(list_url("LEARNER")).json()) == 1

    def test_owner_with_private_certificates(self, cert, learner, session_client):
        share(learner, privacy="private", certificates="private")
        assert len(session_client(learner).get(list_url()).json()) == 1

    @pytest.mark.parametrize("kind", ["session", "jwt", "restricted-jwt"])
    def test_other_learner_private_profile(self, cert, learner, other_learner, session_client, jwt_client, kind):
        share(learner, privacy="private", certificates=None)
        client = {"session": lambda: session_client(other_learner), "jwt": lambda: jwt_client(other_learner),
                  "restricted-jwt": lambda: restricted(jwt_client, other_learner)}[kind]()
        response = client.get(list_url())
        assert response.status_code == 403
        assert "detail" in response.json()

    def test_other_learner_account_public_but_certificates_not_marked(self, cert, learner, other_learner,
                                                                      session_client):
        share(learner, certificates=None)
        assert session_client(other_learner).get(list_url()).status_code == 403

    def test_other_learner_public_profile(self, cert, learner, other_learner, session_client):
        share(learner)
        assert session_client(other_learner).get(list_url()).json() == [expected_item(cert)]

    def test_other_learner_custom_profile(self, cert, learner, other_learner, session_client):
        share(learner, privacy="custom")
        assert len(session_client(other_learner).get(list_url()).json()) == 1

    @pytest.mark.parametrize("profile", [
        {"privacy": "private"}, {"age": 10}, {"year_of_birth": None},
    ], ids=["private", "minor", "no-year-of-birth"])
    def test_other_learner_marked_public_but_profile_hidden_gets_empty(self, cert, learner, other_learner,
                                                                       session_client, profile):
        share(learner, **profile)
        response = session_client(other_learner).get(list_url())
        assert response.status_code == 200
        assert response.json() == []

    def test_other_learner_unknown_user_is_like_a_private_profile(self, other_learner, session_client):
        assert session_client(other_learner).get(list_url("nobody")).status_code == 403

    @pytest.mark.parametrize("kind", ["session", "jwt"])
    def test_staff_private_profile(self, cert, learner, staff_user, session_client, jwt_client, kind):
        share(learner, privacy="private", certificates="private")
        client = session_client(staff_user) if kind == "session" else jwt_client(staff_user)
        assert len(client.get(list_url()).json()) == 1

    def test_staff_unknown_user(self, staff_user, session_client):
        response = session_client(staff_user).get(list_url("nobody"))
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}

    def test_restricted_jwt_owner_with_scope_and_user(self, cert, learner, jwt_client):
        client = restricted(jwt_client, learner, filters=["user:learner"])
        assert client.get(list_url()).json() == [expected_item(cert)]

    def test_restricted_jwt_without_scope(self, cert, learner, jwt_client):
        client = restricted(jwt_client, learner, scopes=["read"], filters=["user:me"])
        assert client.get(list_url()).status_code == 403

    def test_restricted_jwt_without_user_filter_owner(self, cert, learner, jwt_client):
        assert restricted(jwt_client, learner).get(list_url()).status_code == 200

    def test_restricted_jwt_without_user_filter_other_private(self, cert, learner, other_learner, jwt_client):
        share(learner, privacy="private", certificates=None)
        assert restricted(jwt_client, other_learner).get(list_url()).status_code == 403

    def test_restricted_jwt_user_me_for_another_user_by_staff(self, cert, staff_user, jwt_client):
        client = restricted(jwt_client, staff_user, filters=["user:me"])
        assert client.get(list_url()).status_code == 403

    def test_non_restricted_jwt_user_me_for_another_user_by_staff(self, cert, staff_user, jwt_client):
        client = jwt_client(staff_user, scopes=SCOPE, filters=["user:me"])
        assert len(client.get(list_url()).json()) == 1

    def test_no_content_org_needed(self, cert, learner, jwt_client):
        client = restricted(jwt_client, learner, filters=["content_org:MITx", "user:me"])
        assert client.get(list_url()).status_code == 200

    def test_expired_jwt(self, cert, learner, jwt_client):
        assert jwt_client(learner, expires_in=-60).get(list_url()).status_code == 401

    @ALLOW_INACTIVE
    def test_inactive_owner(self, course, make_user, session_client):
        sleepy = make_user("sleepy", is_active=False)
        api.issue_certificate(sleepy, COURSE, status="downloadable", mode="honor", download_url="x")
        assert len(session_client(sleepy).get(list_url("sleepy")).json()) == 1


class CatalogHooks(DefaultHooks):
    def course_run_titles(self, course_keys):
        return {key: "Deleted Course From Catalog" for key in course_keys}


class TestList:
    def test_staff_reads_a_user_without_certificates(self, learner, staff_user, session_client):
        assert session_client(staff_user).get(list_url()).json() == []

    def test_staff_reads_an_adult_all_users_profile(self, cert, learner, staff_user, session_client):
        share(learner, certificates=None)
        assert len(session_client(staff_user).get(list_url()).json()) == 1

    def test_only_passing_certificates(self, course, learner, session_client):
        for index, status in enumerate(["downloadable", "generating", "notpassing", "unverified", "audit_passing"]):
            key = f"course-v1:edx+C{index}+1"
            api.upsert_course(key, self_paced=True)
            api.issue_certificate(learner, key, status=status, mode="verified", download_url="x.pdf")
        body = session_client(learner).get(list_url()).json()
        assert [item["status"] for item in body] == ["downloadable", "generating"]
        assert [item["download_url"] for item in body] == ["x.pdf", None]

    def test_course_not_yet_showing_certificates(self, cert, learner, session_client):
        Course.objects.update(self_paced=False, end=datetime.datetime(2999, 1, 1, tzinfo=datetime.timezone.utc))
        assert session_client(learner).get(list_url()).json() == []

    @HTML_ON
    def test_web_certificate_needs_an_active_configuration(self, cert, learner, session_client):
        Certificate.objects.update(download_url="")
        client = session_client(learner)
        assert client.get(list_url()).json() == []
        Course.objects.update(has_any_active_web_certificate=True)
        body = client.get(list_url()).json()
        assert [item["download_url"] for item in body] == [f"/certificates/{cert.verify_uuid}"]

    def test_deleted_course_takes_the_catalog_title(self, cert, learner, session_client):
        key = CourseKey.from_string("edX/testDeletedCourse/2020")
        api.issue_certificate(learner, key, status="downloadable", mode="honor", download_url="www.google.com")
        with override_settings(OPENEDX_LEARNER_APIS={"HOOKS": f"{__name__}.CatalogHooks"}):
            body = session_client(learner).get(list_url()).json()
        deleted = [item for item in body if item["course_id"] == str(key)]
        assert deleted[0]["course_display_name"] == "Deleted Course From Catalog"
        assert deleted[0]["course_organization"] == "edX"

    def test_ordered_by_creation(self, cert, learner, session_client):
        older = CourseKey.from_string("course-v1:edx+older+1")
        api.upsert_course(older, self_paced=True)
        old_cert = api.issue_certificate(learner, older, status="downloadable", mode="honor", download_url="y")
        Certificate.objects.filter(pk=old_cert.pk).update(
            created_date=cert.created_date - datetime.timedelta(days=1))
        assert [item["course_id"] for item in session_client(learner).get(list_url()).json()] == \
            [str(older), str(COURSE)]

    @pytest.mark.parametrize("suffix", ["", "/"])
    def test_trailing_slash_is_optional(self, cert, learner, session_client, suffix):
        assert session_client(learner).get(f"/api/certificates/v0/certificates/learner{suffix}").status_code == 200

    @pytest.mark.parametrize(("requester", "expected"), LIST_QUERIES.items())
    def test_query_count_is_constant(self, learner, other_learner, staff_user, session_client, jwt_client,
                                     django_assert_num_queries, requester, expected):
        share(learner)
        client = {
            "owner": lambda: session_client(learner),
            "other": lambda: session_client(other_learner),
            "staff-jwt": lambda: jwt_client(staff_user),
            "restricted-jwt": lambda: restricted(jwt_client, learner, filters=["user:me"]),
        }[requester]()
        client.get(list_url())  # a first JWT request creates the token user's records
        for total in (1, 30):
            Certificate.objects.all().delete()
            for index in range(total):
                key = f"course-v1:edx+Q{index}+1"
                api.upsert_course(key, self_paced=True)
                api.issue_certificate(learner, key, status="downloadable", mode="honor", download_url="x")
            with django_assert_num_queries(expected):
                assert len(client.get(list_url()).json()) == total

    def test_detail_query_count(self, cert, learner, session_client, django_assert_num_queries):
        client = session_client(learner)
        with django_assert_num_queries(5):  # session, user, owner, certificate, course
            assert client.get(detail_url()).status_code == 200

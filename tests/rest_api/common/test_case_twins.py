"""Case twins: ``VICTOR`` and ``victor`` are two accounts, and no token for one reads the other.

edx-drf-extensions' ``JwtHasUserFilterForRequestedUser`` lower-cases both the filter's user
and the URL's, so a restricted token for ``VICTOR`` filtered to ``user:me`` passed for
``victor``. The app compares names the way it resolves users (``users.is_same_username``):
exactly, or in another case only when that name resolves to the same account.
"""

from __future__ import annotations

import pytest
from django.db import connection
from opaque_keys.edx.keys import CourseKey
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView

from openedx_learner_apis import api
from openedx_learner_apis.rest_api.common.authentication import JwtAuthentication
from openedx_learner_apis.rest_api.common.permissions import (
    IsOwner,
    JwtHasUserFilterForRequestedUser,
    filter_names_url_user,
)
from openedx_learner_apis.rest_api.common.tokens import jwt_header, mint_jwt

COURSE = CourseKey.from_string("course-v1:edX+Twins+2024")
SCOPES = ["certificates:read"]


@pytest.fixture
def twins(make_user):
    if connection.vendor == "mysql":
        pytest.skip("MariaDB's case-insensitive unique index forbids usernames differing only in case")
    return make_user("VICTOR"), make_user("victor")


@pytest.fixture
def victors_certificate(twins):
    api.upsert_course(COURSE, display_name="Twins", self_paced=True)
    _, victor = twins
    api.get_or_create_profile(victor, year_of_birth=1980)
    api.set_preference(victor, "visibility.course_certificates", "all_users")
    return api.issue_certificate(victor, COURSE, status="downloadable", mode="verified", grade="0.93",
                                 download_url="https://example.com/cert.pdf")


def restricted(user, filters) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=jwt_header(
        mint_jwt(user, scopes=SCOPES, filters=list(filters), is_restricted=True)))
    return client


def detail(username):
    return f"/api/certificates/v0/certificates/{username}/courses/{COURSE}/"


def listing(username):
    return f"/api/certificates/v0/certificates/{username}/"


class TestCertificates:
    def test_the_twin_cannot_read_the_detail_with_user_me(self, twins, victors_certificate):
        upper, _ = twins
        response = restricted(upper, ["user:me", "content_org:edX"]).get(detail("victor"))
        assert response.status_code == 403
        assert "grade" not in response.json()

    def test_the_twin_cannot_read_the_public_list_with_user_me(self, twins, victors_certificate):
        upper, _ = twins
        assert restricted(upper, ["user:me"]).get(listing("victor")).status_code == 403

    @pytest.mark.parametrize("filters, url_user", [
        (["user:VICTOR", "content_org:edX"], "victor"),
        (["user:victor", "content_org:edX"], "VICTOR"),
    ])
    def test_a_named_filter_does_not_cover_the_twin(self, twins, victors_certificate, filters, url_user):
        upper, _ = twins
        assert restricted(upper, filters).get(detail(url_user)).status_code == 403

    def test_the_owner_still_reads_it(self, twins, victors_certificate):
        _, victor = twins
        response = restricted(victor, ["user:me", "content_org:edX"]).get(detail("victor"))
        assert response.status_code == 200
        assert response.json()["grade"] == "0.93"

    def test_a_case_variant_naming_one_account_still_passes(self, make_user):
        """Without a twin, ``Bob`` names ``bob`` everywhere in the app: the filter agrees."""
        bob = make_user("bob")
        api.upsert_course(COURSE, display_name="Twins", self_paced=True)
        api.issue_certificate(bob, COURSE, status="downloadable", mode="verified", grade="0.5",
                              download_url="https://example.com/bob.pdf")
        assert restricted(bob, ["user:me", "content_org:edX"]).get(detail("BOB")).status_code == 200
        assert restricted(bob, ["user:Bob", "content_org:edX"]).get(detail("bob")).status_code == 200


class View(APIView):
    def __init__(self, username):
        super().__init__()
        self.kwargs = {"username": username}


def request_for(user, filters, query=""):
    django_request = APIRequestFactory().get(f"/{query}", HTTP_AUTHORIZATION=jwt_header(
        mint_jwt(user, scopes=SCOPES, filters=filters, is_restricted=True)))
    view = View(None)
    request = view.initialize_request(django_request)
    request.authenticators = [JwtAuthentication()]
    request.user  # noqa: B018  (authenticates)
    return request


@pytest.mark.parametrize("filters, url_user, allowed", [
    (["user:me"], "VICTOR", True),
    (["user:me"], "victor", False),
    (["user:VICTOR"], "VICTOR", True),
    (["user:VICTOR"], "victor", False),
    (["user:victor"], "VICTOR", False),
    ([], "victor", True),
    (["content_org:edX"], "victor", True),
])
def test_filter_names_url_user(twins, filters, url_user, allowed):
    upper, _ = twins
    request = request_for(upper, filters)
    assert filter_names_url_user(request, View(url_user)) is allowed
    assert JwtHasUserFilterForRequestedUser().has_permission(request, View(url_user)) is allowed


def test_the_query_parameter_is_the_requested_user_when_the_url_has_none(twins):
    upper, _ = twins
    assert not filter_names_url_user(request_for(upper, ["user:me"], "?username=victor"), View(None))
    assert filter_names_url_user(request_for(upper, ["user:me"], "?username=VICTOR"), View(None))


def test_owner_checks_tell_twins_apart(twins):
    upper, victor = twins
    request = APIRequestFactory().get("/")
    request.user = upper
    assert IsOwner().has_permission(request, View("VICTOR"))
    assert not IsOwner().has_permission(request, View("victor"))
    request.user = victor
    assert not IsOwner().has_permission(request, View("VICTOR"))

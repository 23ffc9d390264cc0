"""An error's user-facing text comes back in the language the request asks for; its developer text stays English.

Each family is asked in eo (Open edX's pseudo-language, accented English) through
``Accept-Language``, on a host resolving languages as the LMS does (``conftest.py``). The
expected texts come from the committed eo catalog read without Django.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from openedx_learner_apis.api import enroll
from tests.course_builders import build_course

from .catalogs import eo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lms_host")]

EO = {"HTTP_ACCEPT_LANGUAGE": "eo"}


def in_eo(response):
    assert response["Content-Language"] == "eo"
    return response.json()


def test_profile_images_user_message(session_client, learner):
    response = session_client(learner).post(f"/api/user/v1/accounts/{learner.username}/image", {}, **EO)
    assert response.status_code == 400
    assert in_eo(response) == {"developer_message": "No file provided for profile image",
                               "user_message": eo("No file provided for profile image")}


def test_profile_images_user_message_of_a_framework_error(api_client, learner):
    response = api_client.post(f"/api/user/v1/accounts/{learner.username}/image", {}, **EO)
    assert response.status_code == 401
    body = in_eo(response)
    assert body["user_message"] == eo("Sign in to change a profile image.")
    assert body["developer_message"] == "Authentication credentials were not provided."


def test_accounts_field_error(jwt_client, learner):
    url = reverse("accounts_api:accounts_api", kwargs={"username": learner.username})
    response = jwt_client(learner).patch(url, json.dumps({"country": "ZZ"}),
                                         content_type="application/merge-patch+json", **EO)
    assert response.status_code == 400
    assert in_eo(response)["field_errors"]["country"] == {
        "developer_message": '"ZZ" is not a valid choice: use an ISO 3166-1 alpha-2 code such as "US".',
        "user_message": eo("Select a country from the list."),
    }


def test_accounts_preference_error(jwt_client, learner):
    url = reverse("accounts_api:preferences_api", kwargs={"username": learner.username})
    response = jwt_client(learner).patch(url, json.dumps({"time_zone": "Mars/Olympus"}),
                                         content_type="application/merge-patch+json", **EO)
    assert response.status_code == 400
    assert in_eo(response)["field_errors"]["time_zone"] == {
        "developer_message": "Value 'Mars/Olympus' not valid for preference 'time_zone': not a time zone name.",
        "user_message": eo("Select a time zone from the list."),
    }


def test_mobile_access_error(session_client, learner):
    key = "course-v1:edX+Hidden+1"
    build_course(key, mobile_available=False)
    enroll(learner, key)
    response = session_client(learner).get(f"/api/mobile/v1/users/learner/course_status_info/{key}", **EO)
    assert response.status_code == 404
    body = in_eo(response)
    assert body["error_code"] == "mobile_unavailable"
    assert body["developer_message"] == "Course is not available on mobile for this user"
    assert body["user_message"] == eo("You do not have access to this course on a mobile device")


def test_mobile_course_not_found(session_client, learner):
    response = session_client(learner).get(
        "/api/mobile/v1/users/learner/course_status_info/course-v1:edX+Nope+1", **EO)
    assert response.status_code == 404
    assert in_eo(response) == {"detail": eo("Course not found."), "developer_message": "Course not found.",
                               "error_code": "course_not_found"}


def test_badges_detail(session_client, learner):
    url = reverse("badges_api:user_assertions", kwargs={"username": learner.username})
    response = session_client(learner).get(url, {"course_id": "not-a-key"}, **EO)
    assert response.status_code == 400
    assert in_eo(response) == {"detail": eo("The course key provided was invalid.")}


def test_certificates_error_codes_are_never_translated(session_client, learner):
    """The family's errors carry codes, not sentences: a 404 is the same in every language."""
    url = reverse("certificates_api:v0:certificates:detail",
                  kwargs={"username": learner.username, "course_key_string": "course-v1:edX+NoCert+1"})
    response = session_client(learner).get(url, **EO)
    assert response.status_code == 404
    assert in_eo(response) == {"error_code": "no_certificate_for_user"}


def test_certificates_framework_detail_follows_the_language(api_client):
    """Its only sentences are Django REST framework's, which that library translates (here into French)."""
    url = reverse("certificates_api:v0:certificates:detail",
                  kwargs={"username": "learner", "course_key_string": "course-v1:edX+NoCert+1"})
    response = api_client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 401
    assert response["Content-Language"] == "fr"
    assert response.json()["detail"] == "Informations d'authentification non fournies."


def test_courseware_developer_message_stays_english(session_client, learner):
    """The courseware errors have no user message: their developer message is English in every language."""
    response = session_client(learner).get("/api/courseware/sequence/block-v1:not-a-key", **EO)
    assert response.status_code == 400
    assert in_eo(response) == {"developer_message": "Invalid usage key: 'block-v1:not-a-key'."}


def test_without_the_header_the_texts_are_english(session_client, learner):
    response = session_client(learner).post(f"/api/user/v1/accounts/{learner.username}/image", {})
    assert response.json() == {"developer_message": "No file provided for profile image",
                               "user_message": "No file provided for profile image"}

"""The LMS's browser authentication path, through the Django test client.

A browser MFE on another origin sends the JWT as the two cookies an LMS login sets
(header.payload and signature), ``USE-JWT-COOKIE: true``, and on writes the ``X-CSRFToken``
it fetched from ``GET /csrf/api/v1/token``. The host joins the cookies with
edx-drf-extensions' ``JwtAuthCookieMiddleware``, answers CORS with credentials for its MFE
origins (django-cors-headers) and trusts their ``Origin`` for CSRF. The real browser runs the
same calls in ``test_mfe_in_chromium.py``.
"""

from __future__ import annotations

import pytest
from corsheaders.defaults import default_headers
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

from openedx_learner_apis.rest_api.common.authentication import JwtAuthentication
from openedx_learner_apis.rest_api.common.tokens import mint_jwt

MFE = "http://127.0.0.1:2000"
STRANGER = "http://127.0.0.2:2000"
COOKIE_MIDDLEWARE = "edx_rest_framework_extensions.auth.jwt.middleware.JwtAuthCookieMiddleware"
PLAIN_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "waffle.middleware.WaffleMiddleware",
]
LMS_MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *PLAIN_MIDDLEWARE[:4], COOKIE_MIDDLEWARE,
                  *PLAIN_MIDDLEWARE[4:]]
BROWSER_SETTINGS = {
    "CORS_ALLOWED_ORIGINS": [MFE], "CORS_ALLOW_CREDENTIALS": True, "CSRF_TRUSTED_ORIGINS": [MFE],
    "CORS_ALLOW_HEADERS": (*default_headers, "use-jwt-cookie"), "CORS_URLS_REGEX": r"^/(api|csrf)/",
}


@pytest.fixture
def lms_host():
    with override_settings(MIDDLEWARE=LMS_MIDDLEWARE, **BROWSER_SETTINGS):
        yield


def browser(user, origin=MFE) -> APIClient:
    """A client holding the LMS's cookie pair for ``user``, sending what an MFE sends; CSRF enforced."""
    client = APIClient(enforce_csrf_checks=True, HTTP_ORIGIN=origin, HTTP_USE_JWT_COOKIE="true")
    header_payload, _, signature = mint_jwt(user).rpartition(".")
    client.cookies["edx-jwt-cookie-header-payload"] = header_payload
    client.cookies["edx-jwt-cookie-signature"] = signature
    return client


def csrf_token(client) -> str:
    response = client.get("/csrf/api/v1/token")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == MFE
    return response.json()["csrfToken"]


@pytest.mark.django_db
def test_the_cookie_pair_authenticates_a_cross_origin_read(lms_host, learner):
    response = browser(learner).get("/api/user/v1/accounts/learner")
    assert response.status_code == 200, response.content
    assert response.json()["username"] == "learner"
    assert response["Access-Control-Allow-Origin"] == MFE
    assert response["Access-Control-Allow-Credentials"] == "true"


@pytest.mark.django_db
def test_without_the_cookie_middleware_the_pair_is_a_401(learner):
    with override_settings(MIDDLEWARE=PLAIN_MIDDLEWARE, **BROWSER_SETTINGS):
        response = browser(learner).get("/api/user/v1/accounts/learner")
    assert response.status_code == 401


@pytest.mark.django_db
def test_a_tampered_signature_cookie_is_a_401(lms_host, learner):
    client = browser(learner)
    signature = client.cookies["edx-jwt-cookie-signature"].value
    client.cookies["edx-jwt-cookie-signature"] = ("y" if signature[0] == "x" else "x") + signature[1:]
    assert client.get("/api/user/v1/accounts/learner").status_code == 401


@pytest.mark.django_db
def test_the_joined_cookie_goes_through_the_apps_jwt_class(lms_host, learner, monkeypatch):
    calls = []
    original = JwtAuthentication.jwt_decode_token.__func__
    monkeypatch.setattr(JwtAuthentication, "jwt_decode_token",
                        classmethod(lambda cls, token: calls.append(token) or original(cls, token)))
    client = browser(learner)
    assert client.get("/api/user/v1/accounts/learner").status_code == 200
    cookies = client.cookies
    assert calls == [f'{cookies["edx-jwt-cookie-header-payload"].value}.{cookies["edx-jwt-cookie-signature"].value}']


@pytest.mark.django_db
def test_a_write_needs_the_csrf_token(lms_host, learner):
    """Without the token the cookie JWT is set aside (edx-drf-extensions forgives a failed cookie
    so that another class may try) and the write is anonymous: 401, as on the LMS."""
    client = browser(learner)
    refused = client.delete("/api/user/v1/accounts/learner/image")
    assert refused.status_code == 401
    assert refused.json()["developer_message"]
    token = csrf_token(client)
    accepted = client.delete("/api/user/v1/accounts/learner/image", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 204, accepted.content


@pytest.mark.django_db
def test_a_write_from_an_untrusted_origin_is_refused_even_with_the_token(lms_host, learner):
    client = browser(learner, origin=STRANGER)
    token = client.get("/csrf/api/v1/token").json()["csrfToken"]
    response = client.delete("/api/user/v1/accounts/learner/image", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 401
    assert "Access-Control-Allow-Origin" not in response
    trusted = client.delete("/api/user/v1/accounts/learner/image", HTTP_X_CSRFTOKEN=token, HTTP_ORIGIN=MFE)
    assert trusted.status_code == 204


@pytest.mark.django_db
def test_header_tokens_need_no_csrf(lms_host, learner, jwt_client):
    client = jwt_client(learner)
    client.handler.enforce_csrf_checks = True
    assert client.delete("/api/user/v1/accounts/learner/image").status_code == 204


def test_preflight_allows_the_mfe_headers_with_credentials(lms_host):
    response = APIClient().options(
        "/api/courseware/celebration/course-v1:edX+Demo+1", HTTP_ORIGIN=MFE,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type,use-jwt-cookie,x-csrftoken")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == MFE
    assert response["Access-Control-Allow-Credentials"] == "true"
    allowed = set(response["Access-Control-Allow-Headers"].split(", "))
    assert {"use-jwt-cookie", "x-csrftoken", "content-type"} <= allowed


def test_an_untrusted_origin_gets_no_cors_headers(lms_host):
    response = APIClient().options("/api/user/v1/accounts/learner", HTTP_ORIGIN=STRANGER,
                                   HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
def test_demo_curl_names_the_mfe_origins_and_the_cookie_pair(lms_host, make_user):
    from io import StringIO

    from tests.course_builders import build_course

    make_user("learner"), make_user("staff", is_staff=True)
    build_course("course-v1:OpenedX+DemoX+DemoCourse", outline=((1,),))
    out = StringIO()
    call_command("demo_curl", stdout=out)
    text = out.getvalue()
    assert f"serve an MFE from {MFE}" in text
    assert 'document.cookie = "edx-jwt-cookie-header-payload=' in text
    assert 'document.cookie = "edx-jwt-cookie-signature=' in text
    assert "csrf/api/v1/token" in text
    assert "lacks" not in text

"""Restricted OAuth applications stay inside their scopes, on every route of every family.

A JWT with ``is_restricted: true`` granted ``certificates:read`` must get a 403, in the
family's error shape, everywhere but certificates, unless the host granted the family in
``RESTRICTED_APPLICATION_SCOPES``. The same holds with the LMS's
``EnsureJWTAuthSettingsMiddleware`` installed, which reads the classes views declare.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from edx_rest_framework_extensions.auth.jwt.middleware import EnsureJWTAuthSettingsMiddleware
from edx_rest_framework_extensions.permissions import NotJwtRestrictedApplication
from rest_framework.test import APIClient
from rest_framework_jwt.authentication import JSONWebTokenAuthentication

from openedx_learner_apis.rest_api.common.errors import DeveloperErrorViewMixin
from openedx_learner_apis.rest_api.common.permissions import RestrictedApplicationsInScope
from openedx_learner_apis.rest_api.common.tokens import jwt_header, mint_jwt
from openedx_learner_apis.rest_api.common.views import FamilyViewMixin

COURSE = "course-v1:edX+DemoX+Demo_Course"
USAGE = "block-v1:edX+DemoX+Demo_Course+type@sequential+block@seq"
LEARNER = "learner"

# (family, method, path): every route of every family but certificates, with each method it serves.
ROUTES = [
    ("profile_images", "post", f"/api/user/v1/accounts/{LEARNER}/image"),
    ("profile_images", "delete", f"/api/user/v1/accounts/{LEARNER}/image"),
    ("profile_images", "post", f"/api/profile_images/v1/{LEARNER}/upload"),
    ("profile_images", "post", f"/api/profile_images/v1/{LEARNER}/remove"),
    ("accounts", "get", f"/api/user/v1/accounts/{LEARNER}"),
    ("accounts", "patch", f"/api/user/v1/accounts/{LEARNER}"),
    ("accounts", "get", f"/api/user/v1/accounts?username={LEARNER}"),
    ("accounts", "get", f"/api/user/v1/preferences/{LEARNER}"),
    ("accounts", "patch", f"/api/user/v1/preferences/{LEARNER}"),
    ("badges", "get", f"/api/badges/v1/assertions/user/{LEARNER}/"),
    *[("mobile", "get", f"/api/mobile/{version}/my_user_info") for version in ("v0.5", "v1", "v4")],
    *[("mobile", "get", f"/api/mobile/{version}/users/{LEARNER}") for version in ("v0.5", "v1", "v2", "v3", "v4")],
    *[("mobile", "get", f"/api/mobile/{version}/users/{LEARNER}/course_enrollments/")
      for version in ("v0.5", "v1", "v2", "v3", "v4")],
    ("mobile", "get", f"/api/mobile/v1/users/{LEARNER}/course_status_info/{COURSE}"),
    ("mobile", "patch", f"/api/mobile/v1/users/{LEARNER}/course_status_info/{COURSE}"),
    ("mobile", "get", f"/api/mobile/v1/users/{LEARNER}/enrollments_status/"),
    ("courseware", "get", f"/api/courseware/course/{COURSE}"),
    ("courseware", "get", f"/api/courseware/sequence/{USAGE}"),
    ("courseware", "get", f"/api/courseware/resume/{COURSE}"),
    ("courseware", "post", f"/api/courseware/celebration/{COURSE}"),
]
ROUTE_IDS = [f"{method.upper()} {path}" for _, method, path in ROUTES]
CERTIFICATES = [f"/api/certificates/v0/certificates/{LEARNER}/", f"/api/certificates/v0/certificates/{LEARNER}/"
                f"courses/{COURSE}/"]
WITH_MIDDLEWARE = override_settings(MIDDLEWARE=[
    *settings.MIDDLEWARE, "edx_rest_framework_extensions.auth.jwt.middleware.EnsureJWTAuthSettingsMiddleware"])


def client_for(user, **token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=jwt_header(mint_jwt(user, **token)))
    return client


def restricted_client(user, scopes=("certificates:read",), filters=("user:me",)) -> APIClient:
    return client_for(user, scopes=list(scopes), filters=list(filters), is_restricted=True)


def call(client, method, path):
    return getattr(client, method)(path, data={}, format="json")


def family_views():
    """Every view class the app's URLconf routes to (unmatched-route views excluded)."""
    found = {}

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern):
                view = getattr(pattern.callback, "view_class", None)
                if view and issubclass(view, FamilyViewMixin) and not view.__name__.startswith("Unmatched"):
                    found[view.__qualname__] = view

    walk(get_resolver().url_patterns)
    return sorted(found.values(), key=lambda view: view.__qualname__)


def expected_error_key(response) -> str:
    view = response.renderer_context["view"] if getattr(response, "renderer_context", None) else None
    return "developer_message" if isinstance(view, DeveloperErrorViewMixin) else "detail"


@pytest.mark.parametrize("family, method, path", ROUTES, ids=ROUTE_IDS)
@pytest.mark.parametrize("middleware", [False, True], ids=["plain", "ensure-jwt-middleware"])
def test_restricted_application_gets_403_in_the_family_shape(learner, family, method, path, middleware):
    client = restricted_client(learner)
    if middleware:
        with WITH_MIDDLEWARE:
            response = call(client, method, path)
    else:
        response = call(client, method, path)
    assert response.status_code == 403, response.content
    body = response.json()
    key = expected_error_key(response)
    assert key in body, body
    assert "restricted applications" in body[key]


@pytest.mark.parametrize("family, method, path", ROUTES, ids=ROUTE_IDS)
def test_the_same_token_unrestricted_passes_the_gate(learner, family, method, path):
    """The same user and scopes without ``is_restricted``: whatever the route answers, never the gate's 403."""
    response = call(client_for(learner, scopes=["certificates:read"], filters=["user:me"]), method, path)
    assert response.status_code < 500
    if response.status_code == 403:
        body = response.json()
        assert "restricted applications" not in str(body)


@pytest.mark.parametrize("path", CERTIFICATES, ids=["list", "detail"])
@pytest.mark.parametrize("middleware", [False, True], ids=["plain", "ensure-jwt-middleware"])
def test_certificates_keep_serving_restricted_applications(learner, path, middleware):
    client = restricted_client(learner, filters=["user:me", "content_org:edX"])
    if middleware:
        with WITH_MIDDLEWARE:
            response = client.get(path)
    else:
        response = client.get(path)
    assert response.status_code in (200, 404), response.content  # 404: no such certificate (detail)
    assert response.status_code == 200 or response.json() == {"error_code": "no_certificate_for_user"}


@pytest.mark.parametrize("view", family_views(), ids=lambda view: view.__qualname__)
def test_every_view_declares_its_classes_for_the_middleware(view):
    """What ``EnsureJWTAuthSettingsMiddleware`` reads: JWT in the declared authentication classes,
    and a ``NotJwtRestrictedApplication`` in the declared permissions (so it adds nothing)."""
    authentication = list(view.authentication_classes)
    assert any(issubclass(cls, JSONWebTokenAuthentication) for cls in authentication)
    middleware = EnsureJWTAuthSettingsMiddleware(lambda request: None)
    declared = list(middleware._iter_included_base_classes(list(view.permission_classes)))
    assert any(issubclass(cls, NotJwtRestrictedApplication) for cls in declared)
    if view.family != "certificates":
        assert list(view.permission_classes)[0] is RestrictedApplicationsInScope


def test_the_route_list_covers_every_family_view():
    families = {view.family for view in family_views()} - {"certificates"}
    assert families <= {family for family, _, _ in ROUTES}


class TestGrants:
    """``RESTRICTED_APPLICATION_SCOPES`` opens a family to restricted applications, by scope."""

    def test_a_granted_family_serves_a_token_with_the_scope(self, learner):
        with override_settings(OPENEDX_LEARNER_APIS={"RESTRICTED_APPLICATION_SCOPES": {"mobile": ["mobile:read"]}}):
            response = restricted_client(learner, scopes=["mobile:read"]).get(f"/api/mobile/v1/users/{LEARNER}")
        assert response.status_code == 200
        assert response.json()["username"] == LEARNER

    def test_a_granted_family_refuses_a_token_without_the_scope(self, learner):
        with override_settings(OPENEDX_LEARNER_APIS={"RESTRICTED_APPLICATION_SCOPES": {"mobile": ["mobile:read"]}}):
            response = restricted_client(learner).get(f"/api/mobile/v1/users/{LEARNER}")
        assert response.status_code == 403

    def test_other_families_stay_closed(self, learner):
        with override_settings(OPENEDX_LEARNER_APIS={"RESTRICTED_APPLICATION_SCOPES": {"mobile": ["mobile:read"]}}):
            response = restricted_client(learner, scopes=["mobile:read"]).get(
                f"/api/badges/v1/assertions/user/{LEARNER}/")
        assert response.status_code == 403

    def test_read_and_write_scopes(self, learner):
        grant = {"profile_images": {"read": ["profile_images:read"], "write": ["profile_images:write"]}}
        with override_settings(OPENEDX_LEARNER_APIS={"RESTRICTED_APPLICATION_SCOPES": grant}):
            reader = restricted_client(learner, scopes=["profile_images:read"])
            assert reader.delete(f"/api/user/v1/accounts/{LEARNER}/image").status_code == 403
            writer = restricted_client(learner, scopes=["profile_images:write"])
            assert writer.delete(f"/api/user/v1/accounts/{LEARNER}/image").status_code == 204

    def test_a_grant_never_acts_for_another_user(self, learner, other_learner):
        """The family's own rules still apply to the token's user: another learner's image is a 404."""
        with override_settings(OPENEDX_LEARNER_APIS={
                "RESTRICTED_APPLICATION_SCOPES": {"profile_images": ["profile_images:write"]}}):
            client = restricted_client(other_learner, scopes=["profile_images:write"], filters=[])
            assert client.delete(f"/api/user/v1/accounts/{LEARNER}/image").status_code == 404

    def test_the_user_filter_must_name_the_url_user(self, learner, staff_user):
        """Staff may remove anyone's image, but a token filtered to ``user:me`` stays on its own user."""
        with override_settings(OPENEDX_LEARNER_APIS={
                "RESTRICTED_APPLICATION_SCOPES": {"profile_images": ["profile_images:write"]}}):
            client = restricted_client(staff_user, scopes=["profile_images:write"], filters=["user:me"])
            assert client.delete(f"/api/user/v1/accounts/{LEARNER}/image").status_code == 403
            client = restricted_client(staff_user, scopes=["profile_images:write"], filters=[])
            assert client.delete(f"/api/user/v1/accounts/{LEARNER}/image").status_code == 204

    def test_with_the_middleware_a_grant_still_works(self, learner):
        with override_settings(OPENEDX_LEARNER_APIS={"RESTRICTED_APPLICATION_SCOPES": {"mobile": ["mobile:read"]}}):
            with WITH_MIDDLEWARE:
                response = restricted_client(learner, scopes=["mobile:read"]).get(f"/api/mobile/v1/users/{LEARNER}")
        assert response.status_code == 200

    def test_a_permission_override_keeps_the_gate(self, learner):
        with override_settings(OPENEDX_LEARNER_APIS={"PERMISSION_CLASSES": {
                "badges": ["rest_framework.permissions.AllowAny"]}}):
            response = restricted_client(learner).get(f"/api/badges/v1/assertions/user/{LEARNER}/")
            assert response.status_code == 403
            assert client_for(learner).get(f"/api/badges/v1/assertions/user/{LEARNER}/").status_code == 200


class TestMiddlewareOnHostOverrides:
    """A host list without the gate: the middleware appends ``NotJwtRestrictedApplication`` to the view's list."""

    def test_appending_does_not_change_the_parent_view(self):
        from openedx_learner_apis.rest_api.mobile.views import MobileView, UserDetailView

        class Child(UserDetailView):
            pass

        before = list(MobileView.permission_classes)
        Child.permission_classes += (NotJwtRestrictedApplication,)
        assert list(Child.permission_classes) == [*before, NotJwtRestrictedApplication]
        assert list(MobileView.permission_classes) == before
        assert list(UserDetailView.permission_classes) == before

    def test_settings_still_apply_after_appending(self):
        from openedx_learner_apis.rest_api.badges.views import UserBadgeAssertionsView

        class Child(UserBadgeAssertionsView):
            pass

        Child.permission_classes += (NotJwtRestrictedApplication,)
        with override_settings(OPENEDX_LEARNER_APIS={"PERMISSION_CLASSES": {
                "badges": ["rest_framework.permissions.IsAdminUser"]}}):
            from rest_framework.permissions import IsAdminUser

            assert list(Child.permission_classes) == [RestrictedApplicationsInScope, IsAdminUser,
                                                      NotJwtRestrictedApplication]

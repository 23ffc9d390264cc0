"""Who may read and update which account and preferences: one test per requester row."""

from __future__ import annotations

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from openedx_learner_apis import api
from openedx_learner_apis.applets.learners.models import LearnerProfile

from .conftest import account_url, merge_patch, preferences_url, share

pytestmark = pytest.mark.django_db

ALLOW_INACTIVE = override_settings(AUTHENTICATION_BACKENDS=["django.contrib.auth.backends.AllowAllUsersModelBackend"])
FULL_ONLY = {"email", "year_of_birth", "is_active", "requires_parental_consent"}


def stored_name(user) -> str | None:
    return LearnerProfile.objects.filter(user=user).values_list("name", flat=True).first()


class TestAccountRead:
    def test_anonymous_is_401(self, learner):
        response = APIClient().get(account_url("learner"))
        assert response.status_code == 401
        assert "developer_message" in response.json()

    def test_owner_sees_every_field(self, learner, jwt_client):
        body = jwt_client(learner).get(account_url("learner")).json()
        assert body["email"] == "learner@example.com"
        assert FULL_ONLY <= set(body)

    def test_other_learner_sees_shared_fields_without_email(self, learner, other_learner, jwt_client):
        share(learner)
        response = jwt_client(other_learner).get(account_url("learner"))
        assert response.status_code == 200
        body = response.json()
        assert body["username"] == "learner"
        assert "profile_image" in body and "bio" in body
        assert not FULL_ONLY & set(body)

    def test_case_twin_is_another_learner(self, make_user, jwt_client, case_twins_allowed):
        owner, twin = make_user("bob"), make_user("Bob")
        share(owner)
        body = jwt_client(twin).get(account_url("bob")).json()
        assert body["username"] == "bob"
        assert "email" not in body

    def test_case_variant_of_ones_own_name_is_full(self, make_user, jwt_client):
        owner = make_user("Carol")
        body = jwt_client(owner).get(account_url("carol")).json()
        assert body["username"] == "Carol" and body["email"] == "Carol@example.com"

    def test_staff_sees_every_field(self, learner, staff_user, jwt_client):
        body = jwt_client(staff_user).get(account_url("learner")).json()
        assert body["email"] == "learner@example.com" and FULL_ONLY <= set(body)

    @ALLOW_INACTIVE
    def test_inactive_owner_reads_their_account(self, make_user, session_client):
        sleepy = make_user("sleepy", is_active=False)
        body = session_client(sleepy).get(account_url("sleepy")).json()
        assert body["is_active"] is False and body["email"] == "sleepy@example.com"

    def test_restricted_application_is_refused(self, learner, jwt_client):
        response = jwt_client(learner, is_restricted=True).get(account_url("learner"))
        assert response.status_code == 403

    def test_missing_account_is_404(self, learner, staff_user, jwt_client):
        for user in (learner, staff_user):
            response = jwt_client(user).get(account_url("nobody"))
            assert response.status_code == 404
            assert "developer_message" in response.json()


class TestAccountUpdate:
    def test_anonymous_is_401(self, learner):
        assert merge_patch(APIClient(), account_url("learner"), {"name": "X"}).status_code == 401
        assert stored_name(learner) is None

    def test_owner_updates(self, learner, jwt_client):
        response = merge_patch(jwt_client(learner), account_url("learner"), {"name": "Lena"})
        assert response.status_code == 200
        assert stored_name(learner) == "Lena"

    @pytest.mark.parametrize("requester", ["other", "staff", "twin"])
    def test_anyone_else_is_403_and_writes_nothing(self, requester, make_user, learner, jwt_client, request):
        if requester == "twin":
            request.getfixturevalue("case_twins_allowed")
        user = {"other": lambda: make_user("other"), "staff": lambda: make_user("staff", is_staff=True),
                "twin": lambda: make_user("Learner")}[requester]()
        response = merge_patch(jwt_client(user), account_url("learner"), {"name": "Hacked"})
        assert response.status_code == 403
        assert stored_name(learner) is None

    def test_missing_account_is_403_as_for_any_other_account(self, learner, jwt_client):
        assert merge_patch(jwt_client(learner), account_url("nobody"), {"name": "X"}).status_code == 403

    @ALLOW_INACTIVE
    def test_inactive_owner_updates(self, make_user, session_client):
        sleepy = make_user("sleepy", is_active=False)
        client = session_client(sleepy)
        client.enforce_csrf_checks = False
        assert merge_patch(client, account_url("sleepy"), {"bio": "zzz"}).status_code == 200

    def test_restricted_application_is_refused(self, learner, jwt_client):
        response = merge_patch(jwt_client(learner, is_restricted=True), account_url("learner"), {"name": "X"})
        assert response.status_code == 403
        assert stored_name(learner) is None


class TestPreferences:
    def test_anonymous_is_401(self, learner):
        assert APIClient().get(preferences_url("learner")).status_code == 401
        assert merge_patch(APIClient(), preferences_url("learner"), {"time_zone": "UTC"}).status_code == 401

    def test_owner_reads_and_updates(self, learner, jwt_client):
        client = jwt_client(learner)
        assert merge_patch(client, preferences_url("learner"), {"visibility.bio": "all_users"}).status_code == 204
        assert client.get(preferences_url("learner")).json() == {"visibility.bio": "all_users"}

    def test_other_learner_is_403(self, learner, other_learner, jwt_client):
        client = jwt_client(other_learner)
        assert client.get(preferences_url("learner")).status_code == 403
        assert merge_patch(client, preferences_url("learner"), {"time_zone": "UTC"}).status_code == 403
        assert api.get_preferences(learner) == {}

    def test_case_twin_is_403(self, make_user, jwt_client, case_twins_allowed):
        make_user("bob")
        twin = make_user("Bob")
        assert jwt_client(twin).get(preferences_url("bob")).status_code == 403

    def test_staff_reads_but_does_not_update(self, learner, staff_user, jwt_client):
        api.set_preference(learner, "time_zone", "Europe/Paris")
        client = jwt_client(staff_user)
        assert client.get(preferences_url("learner")).json() == {"time_zone": "Europe/Paris"}
        assert merge_patch(client, preferences_url("learner"), {"time_zone": "UTC"}).status_code == 403
        assert api.get_preference(learner, "time_zone") == "Europe/Paris"

    def test_missing_account_is_404(self, learner, staff_user, jwt_client):
        assert jwt_client(learner).get(preferences_url("nobody")).status_code == 404
        assert jwt_client(staff_user).get(preferences_url("nobody")).status_code == 404

    @ALLOW_INACTIVE
    def test_inactive_owner_reads(self, make_user, session_client):
        sleepy = make_user("sleepy", is_active=False)
        assert session_client(sleepy).get(preferences_url("sleepy")).status_code == 200

    def test_restricted_application_is_refused(self, learner, jwt_client):
        client = jwt_client(learner, is_restricted=True)
        assert client.get(preferences_url("learner")).status_code == 403
        assert merge_patch(client, preferences_url("learner"), {"time_zone": "UTC"}).status_code == 403
        assert api.get_preferences(learner) == {}

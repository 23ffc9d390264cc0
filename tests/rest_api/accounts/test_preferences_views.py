"""GET and PATCH /api/user/v1/preferences/{username}: the preferences this app owns."""

from __future__ import annotations

import pytest

from openedx_learner_apis import api

from .conftest import account_url, merge_patch, preferences_url

pytestmark = pytest.mark.django_db


def test_owner_sets_and_deletes_with_null(learner, jwt_client):
    client = jwt_client(learner)
    changes = {"account_privacy": "custom", "visibility.bio": "all_users", "time_zone": "America/New_York"}
    assert merge_patch(client, preferences_url("learner"), changes).status_code == 204
    assert client.get(preferences_url("learner")).json() == changes
    assert merge_patch(client, preferences_url("learner"), {"time_zone": None}).status_code == 204
    assert "time_zone" not in client.get(preferences_url("learner")).json()


def test_sharing_a_field_shows_it_to_others(learner, other_learner, jwt_client):
    """The profile MFE's share switch: preferences first, then others read the account."""
    api.update_account(learner, {"bio": "Hello", "year_of_birth": 1980})
    merge_patch(jwt_client(learner), preferences_url("learner"),
                {"account_privacy": "custom", "visibility.bio": "all_users"})
    assert jwt_client(other_learner).get(account_url("learner")).json()["bio"] == "Hello"


@pytest.mark.parametrize("changes, bad", [
    ({"pref-lang": "en"}, {"pref-lang"}),
    ({"account_privacy": "friends"}, {"account_privacy"}),
    ({"visibility.bio": "custom"}, {"visibility.bio"}),
    ({"visibility.": "all_users"}, {"visibility."}),
    ({"time_zone": "Mars/Olympus"}, {"time_zone"}),
    ({"time_zone": ""}, {"time_zone"}),
    ({"time_zone": 3}, {"time_zone"}),
    ({"time_zone": "UTC", "account_privacy": "nope", "other": "x"}, {"account_privacy", "other"}),
])
def test_refused_preferences_answer_field_errors_and_write_nothing(changes, bad, learner, jwt_client):
    response = merge_patch(jwt_client(learner), preferences_url("learner"), changes)
    assert response.status_code == 400
    errors = response.json()["field_errors"]
    assert set(errors) == bad
    assert all(set(error) == {"developer_message", "user_message"} for error in errors.values())
    assert api.get_preferences(learner) == {}


@pytest.mark.parametrize("body", [[], "x", 3])
def test_a_body_that_is_not_an_object_is_400(body, learner, jwt_client):
    response = merge_patch(jwt_client(learner), preferences_url("learner"), body)
    assert response.status_code == 400 and "developer_message" in response.json()


def test_an_empty_patch_changes_nothing(learner, jwt_client):
    api.set_preference(learner, "time_zone", "UTC")
    assert merge_patch(jwt_client(learner), preferences_url("learner"), {}).status_code == 204
    assert jwt_client(learner).patch(preferences_url("learner")).status_code == 204
    assert api.get_preferences(learner) == {"time_zone": "UTC"}


def test_plain_json_is_415(learner, jwt_client):
    response = merge_patch(jwt_client(learner), preferences_url("learner"), {"time_zone": "UTC"},
                           content_type="application/json")
    assert response.status_code == 415

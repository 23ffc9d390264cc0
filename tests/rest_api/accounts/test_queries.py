"""The account routes run a fixed number of queries, whatever the number of accounts listed."""

from __future__ import annotations

import pytest

from openedx_learner_apis import api

from .conftest import account_url, list_url, merge_patch, preferences_url, share

pytestmark = pytest.mark.django_db

# JWT authentication reads the requester (1); the lookup reads the users with their profiles (1);
# the visibility preferences of all of them (1).
READ_QUERIES = 3


def sharing_learners(make_user, count: int) -> list[str]:
    names = []
    for index in range(count):
        user = make_user(f"learner{index}")
        share(user, **{"visibility.bio": "all_users"})
        api.update_account(user, {"bio": "hi", "social_links": [{"platform": "twitter", "social_link": "x"}]})
        names.append(user.username)
    return names


@pytest.mark.parametrize("count", [2, 12])
def test_list_queries_do_not_grow_with_accounts(count, make_user, staff_user, other_learner, jwt_client,
                                                django_assert_num_queries):
    names = sharing_learners(make_user, count)
    for requester in (other_learner, staff_user):
        client = jwt_client(requester)
        with django_assert_num_queries(READ_QUERIES):
            response = client.get(list_url(), {"username": ",".join(names)})
        assert len(response.json()) == count


def test_a_case_variant_costs_one_more_query(make_user, other_learner, jwt_client, django_assert_num_queries):
    sharing_learners(make_user, 3)
    client = jwt_client(other_learner)
    with django_assert_num_queries(READ_QUERIES + 1):
        response = client.get(list_url(), {"username": "LEARNER0,Learner1,learner2"})
    assert [account["username"] for account in response.json()] == ["learner0", "learner1", "learner2"]


def test_detail_read_queries(make_user, other_learner, jwt_client, django_assert_num_queries):
    sharing_learners(make_user, 1)
    client = jwt_client(other_learner)
    with django_assert_num_queries(READ_QUERIES):
        assert client.get(account_url("learner0")).status_code == 200


def test_update_queries(learner, jwt_client, django_assert_num_queries):
    client = jwt_client(learner)
    merge_patch(client, account_url("learner"), {"bio": "first"})
    # The requester; a savepoint around the locked profile read and its update; the read back (2).
    with django_assert_num_queries(7):
        response = merge_patch(client, account_url("learner"), {"bio": "again", "country": "FR"})
    assert response.json()["bio"] == "again"


def test_preferences_queries(learner, jwt_client, django_assert_num_queries):
    client = jwt_client(learner)
    merge_patch(client, preferences_url("learner"), {"time_zone": "UTC", "account_privacy": "custom"})
    with django_assert_num_queries(2):
        assert client.get(preferences_url("learner")).json() == {"account_privacy": "custom", "time_zone": "UTC"}

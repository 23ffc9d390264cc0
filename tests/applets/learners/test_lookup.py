"""``find_users``: several usernames resolved with the app's one username rule."""

from __future__ import annotations

import pytest

from openedx_learner_apis.applets.learners.api import find_users
from openedx_learner_apis.core.users import find_user

pytestmark = pytest.mark.django_db


def names(users) -> list[str]:
    return [user.username for user in users]


def agrees_with_find_user(asked):
    expected = [user.username for user in (find_user(name) for name in asked) if user is not None]
    assert names(find_users(asked)) == list(dict.fromkeys(expected))


def test_it_agrees_with_find_user(make_user):
    make_user("bob"), make_user("Carol"), make_user("straße")
    agrees_with_find_user(["bob", "BOB", "carol", "CAROL", "strasse", "nobody", "", "a\x00b", "x" * 151])


def test_case_twins_name_themselves_and_a_third_variant_names_no_one(make_user, case_twins_allowed):
    make_user("bob"), make_user("Bob")
    agrees_with_find_user(["bOb", "Bob", "bob", "BOB"])
    assert names(find_users(["BOB", "Bob"])) == ["Bob"]


def test_each_account_once_in_the_order_asked(make_user):
    make_user("ann"), make_user("ben")
    assert names(find_users(["ben", "ANN", "ann", "ben"])) == ["ben", "ann"]

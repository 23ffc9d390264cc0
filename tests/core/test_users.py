"""Resolving the user a URL names, case-insensitively, without guessing between look-alikes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from openedx_learner_apis.core.users import MAX_USERNAME_LENGTH, find_user, is_same_username


def test_exact_match(make_user):
    user = make_user("alice")
    assert find_user("alice") == user


def test_case_insensitive_match_returns_the_canonical_user(make_user):
    user = make_user("Alice")
    found = find_user("aLICE")
    assert found == user
    assert found.username == "Alice"


@pytest.fixture
def look_alikes_allowed():
    if connection.vendor == "mysql":
        pytest.skip("MariaDB's case-insensitive unique index forbids usernames differing only in case "
                    "(tests/integration/test_database_backends.py checks it)")


def test_exact_match_wins_over_look_alikes(make_user, look_alikes_allowed):
    make_user("Alice")
    lower = make_user("alice")
    assert find_user("alice") == lower


def test_ambiguous_case_insensitive_match_is_none(make_user, look_alikes_allowed):
    make_user("Alice")
    make_user("alice")
    assert find_user("ALICE") is None


@pytest.mark.parametrize("username", ["nobody", "", None, 42, "x" * (MAX_USERNAME_LENGTH + 1)])
def test_absent_or_odd_input_is_none(db, username):
    assert find_user(username) is None


def test_exact_name_is_one_indexed_query(make_user, django_assert_num_queries):
    make_user("alice")
    with django_assert_num_queries(1) as captured:
        find_user("alice")
    assert "UPPER(" not in captured.captured_queries[0]["sql"]


def test_other_case_costs_one_more_query(make_user, django_assert_num_queries):
    alice = make_user("alice")
    with django_assert_num_queries(2):
        assert find_user("ALICE") == alice


def test_odd_input_needs_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        find_user("x" * 500)


def test_is_same_username(make_user):
    user = make_user("Alice")
    assert is_same_username(user, "alice")
    assert is_same_username(user, "ALICE")
    assert not is_same_username(user, "alice2")
    assert not is_same_username(user, None)
    assert not is_same_username(AnonymousUser(), "")
    assert not is_same_username(None, "alice")

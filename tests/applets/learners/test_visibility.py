"""Profile visibility rules: parental consent, account_privacy, custom visibility, configuration."""

from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from openedx_learner_apis import api
from openedx_learner_apis.applets.learners.models import LearnerProfile
from openedx_learner_apis.applets.learners.visibility import (
    is_field_shared,
    profile_visibility,
    requires_parental_consent,
    visibility_configuration,
    visibility_preferences,
    visible_fields,
)

pytestmark = pytest.mark.django_db


def born(years_ago: int) -> int:
    """A year of birth ``years_ago`` years before the test runs (read when called, never at import)."""
    return datetime.date.today().year - years_ago


def adult(user, **fields):
    return api.get_or_create_profile(user, year_of_birth=1977, **fields)


def fresh(user):
    """The user as a request would load it, without cached relations."""
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(("age", "expected"), [
    (None, True),
    (5, True),
    (13, True),  # may still be 12: Open edX errs on the side of consent
    (14, False),
])
def test_requires_parental_consent(age, expected):
    year_of_birth = None if age is None else born(age)
    assert requires_parental_consent(LearnerProfile(year_of_birth=year_of_birth)) is expected


def test_an_adult_born_long_ago_needs_no_consent():
    assert requires_parental_consent(LearnerProfile(year_of_birth=1977)) is False


def test_no_profile_counts_as_unknown_year_of_birth():
    assert requires_parental_consent(None) is True


def test_parental_consent_uses_the_given_day():
    profile = LearnerProfile(year_of_birth=2000)
    assert requires_parental_consent(profile, today=datetime.date(2013, 6, 1)) is True
    assert requires_parental_consent(profile, today=datetime.date(2014, 6, 1)) is False


@override_settings(OPENEDX_LEARNER_APIS={"PARENTAL_CONSENT_AGE_LIMIT": None})
def test_no_age_limit_turns_the_rule_off():
    assert requires_parental_consent(None) is False


@override_settings(OPENEDX_LEARNER_APIS={"PARENTAL_CONSENT_AGE_LIMIT": 18})
def test_age_limit_is_configurable():
    assert requires_parental_consent(LearnerProfile(year_of_birth=born(16))) is True


@pytest.mark.parametrize(("preferences", "expected"), [
    ({}, "all_users"),
    ({"account_privacy": "private"}, "private"),
    ({"account_privacy": "custom"}, "custom"),
    ({"account_privacy": "all_users"}, "all_users"),
])
def test_profile_visibility_of_an_adult(preferences, expected):
    assert profile_visibility(LearnerProfile(year_of_birth=1977), preferences) == expected


def test_a_minor_is_private_whatever_the_preference():
    assert profile_visibility(LearnerProfile(year_of_birth=born(10)), {"account_privacy": "all_users"}) == \
        "private"


@override_settings(OPENEDX_LEARNER_APIS={"ACCOUNT_VISIBILITY_CONFIGURATION": {"default_visibility": "private"}})
def test_default_visibility_comes_from_the_configuration():
    assert profile_visibility(LearnerProfile(year_of_birth=1977), {}) == "private"


@override_settings(OPENEDX_LEARNER_APIS={"ACCOUNT_VISIBILITY_CONFIGURATION": {"default_visibility": "private"}})
def test_configuration_keys_left_out_keep_their_defaults():
    configuration = visibility_configuration()
    assert configuration["default_visibility"] == "private"
    assert "accomplishments_shared" in configuration["bulk_shareable_fields"]
    assert configuration["public_fields"] == ["account_privacy", "profile_image", "username"]


def test_all_users_shares_the_bulk_fields(learner):
    adult(learner)
    fields = visible_fields(fresh(learner))
    assert {"accomplishments_shared", "course_certificates", "username", "account_privacy"} <= fields


def test_private_shares_only_public_fields(learner):
    adult(learner)
    api.set_account_privacy(learner, "private")
    assert visible_fields(fresh(learner)) == {"account_privacy", "profile_image", "username"}


def test_custom_shares_the_fields_set_to_all_users(learner):
    adult(learner)
    api.set_account_privacy(learner, "custom")
    api.set_preference(learner, "visibility.accomplishments_shared", "all_users")
    api.set_preference(learner, "visibility.course_certificates", "private")
    fields = visible_fields(fresh(learner))
    assert "accomplishments_shared" in fields
    assert "course_certificates" not in fields
    assert "username" in fields


def test_custom_ignores_fields_outside_custom_shareable_fields(learner):
    adult(learner)
    api.set_account_privacy(learner, "custom")
    api.set_preference(learner, "visibility.email", "all_users")
    assert "email" not in visible_fields(fresh(learner))


def test_unknown_privacy_value_shares_only_public_fields(learner):
    adult(learner)
    api.set_preference(learner, "account_privacy", "friends")
    assert visible_fields(fresh(learner)) == {"account_privacy", "profile_image", "username"}


def test_user_without_profile_is_private_not_an_error(learner):
    assert not is_field_shared(fresh(learner), "accomplishments_shared")


def test_minor_with_all_users_shares_nothing_shareable(learner):
    api.get_or_create_profile(learner, year_of_birth=born(8))
    api.set_account_privacy(learner, "all_users")
    assert not is_field_shared(fresh(learner), "course_certificates")


@override_settings(OPENEDX_LEARNER_APIS={"ACCOUNT_VISIBILITY_CONFIGURATION": {
    "bulk_shareable_fields": ["username", "course_certificates"]}})
def test_a_host_configuration_without_accomplishments_shared_hides_badges(learner):
    adult(learner)
    assert not is_field_shared(fresh(learner), "accomplishments_shared")
    assert is_field_shared(fresh(learner), "course_certificates")


def test_visibility_preferences_reads_only_the_relevant_keys(learner, django_assert_num_queries):
    api.set_account_privacy(learner, "custom")
    api.set_preference(learner, "visibility.course_certificates", "all_users")
    api.set_preference(learner, "time_zone", "Europe/Paris")
    with django_assert_num_queries(1):
        preferences = visibility_preferences(learner)
    assert preferences == {"account_privacy": "custom", "visibility.course_certificates": "all_users"}


def test_is_field_shared_costs_two_queries_at_most(learner, django_assert_num_queries):
    adult(learner)
    api.set_account_privacy(learner, "custom")
    owner = fresh(learner)
    with django_assert_num_queries(2):
        assert not is_field_shared(owner, "accomplishments_shared")


def test_is_field_shared_with_given_inputs_costs_no_query(learner, django_assert_num_queries):
    profile = adult(learner)
    with django_assert_num_queries(0):
        assert is_field_shared(learner, "accomplishments_shared", preferences={}, profile=profile)

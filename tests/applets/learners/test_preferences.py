"""Preference update rules and ``update_preferences``, called directly."""

from __future__ import annotations

import pytest

from openedx_learner_apis import api
from openedx_learner_apis.applets.learners.preferences import clean_preference_update, is_owned_preference


@pytest.mark.parametrize("key, owned", [
    ("account_privacy", True), ("time_zone", True), ("visibility.bio", True), ("visibility.", False),
    ("visibility.a b", False), ("pref-lang", False), (3, False), ("visibility." + "x" * 250, False),
])
def test_owned_preferences(key, owned):
    assert is_owned_preference(key) is owned


def test_null_deletes_and_valid_values_pass():
    assert clean_preference_update({"time_zone": None, "account_privacy": "custom",
                                    "visibility.name": "private"}) == {
        "time_zone": None, "account_privacy": "custom", "visibility.name": "private"}


@pytest.mark.django_db
def test_update_preferences_is_all_or_nothing(learner):
    api.set_preference(learner, "time_zone", "UTC")
    with pytest.raises(api.AccountValidationError) as info:
        api.update_preferences(learner, {"time_zone": None, "account_privacy": "everyone"})
    assert set(info.value.field_errors) == {"account_privacy"}
    assert api.get_preferences(learner) == {"time_zone": "UTC"}
    api.update_preferences(learner, {"time_zone": None, "account_privacy": "private"})
    assert api.get_preferences(learner) == {"account_privacy": "private"}

"""Fixtures of the account route tests."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from openedx_learner_apis import api
from tests.applets.profile_images.storages import profile_storage  # noqa: F401

MERGE_PATCH = "application/merge-patch+json"


def born(age: int) -> int:
    """The year of birth of someone turning ``age`` this year (read when a test runs)."""
    return datetime.date.today().year - age


def account_url(username: str) -> str:
    return reverse("accounts_api:accounts_api", kwargs={"username": username})


def list_url() -> str:
    return reverse("accounts_api:accounts_detail_api")


def preferences_url(username: str) -> str:
    return reverse("accounts_api:preferences_api", kwargs={"username": username})


def merge_patch(client, url: str, body, content_type: str = MERGE_PATCH):
    return client.patch(url, json.dumps(body), content_type=content_type)


def share(user, privacy="all_users", year_of_birth=1977, **preferences):
    """Give ``user`` an adult profile with ``privacy`` and ``visibility.*`` preferences."""
    api.get_or_create_profile(user, year_of_birth=year_of_birth)
    if privacy:
        api.set_account_privacy(user, privacy)
    for key, value in preferences.items():
        api.set_preference(user, key, value)


@pytest.fixture
def filled_profile(learner):
    """``learner`` with every editable field set and an all_users profile."""
    api.update_account(learner, {
        "name": "Lena Learner", "bio": "I like maths.", "country": "FR", "level_of_education": "m",
        "language_proficiencies": [{"code": "fr"}, {"code": "en"}], "year_of_birth": 1990,
        "social_links": [{"platform": "twitter", "social_link": "lena"}],
    })
    api.set_account_privacy(learner, "all_users")
    return learner

"""Account update rules and ``update_account``, called directly."""

from __future__ import annotations

import datetime

import pytest

from openedx_learner_apis import api
from openedx_learner_apis.applets.learners.accounts import (
    AccountValidationError,
    clean_account_update,
    merge_social_links,
    social_links_list,
)
from openedx_learner_apis.applets.learners.models import LearnerProfile

TODAY = datetime.date(2030, 6, 1)


def errors_of(data) -> dict:
    with pytest.raises(AccountValidationError) as info:
        clean_account_update(data, today=TODAY)
    return info.value.field_errors


def test_every_bad_field_is_reported_at_once():
    assert set(errors_of({"bio": "x" * 301, "country": "ZZ", "email": "a@b.c", "gender": "f", "name": "ok"})) == {
        "bio", "country", "email", "gender"}


def test_read_only_fields_say_so():
    assert errors_of({"username": "x"})["username"]["developer_message"] == "This field is not editable via this API"


def test_bio_limit_is_300_characters():
    assert clean_account_update({"bio": "x" * 300}, today=TODAY) == {"bio": "x" * 300}
    assert "300" in errors_of({"bio": "x" * 301})["bio"]["developer_message"]


@pytest.mark.parametrize("year, ok", [(2030, True), (1910, True), (1909, False), (2031, False), ("1990", True)])
def test_year_of_birth_within_the_last_120_years(year, ok):
    if ok:
        assert clean_account_update({"year_of_birth": year}, today=TODAY) == {"year_of_birth": int(year)}
    else:
        assert "year_of_birth" in errors_of({"year_of_birth": year})


def test_languages_are_stored_sorted():
    cleaned = clean_account_update({"language_proficiencies": [{"code": "fr"}, {"code": "ar"}]}, today=TODAY)
    assert cleaned == {"language_proficiencies": ["ar", "fr"]}


@pytest.mark.parametrize("link, url", [
    ("lena", "https://www.twitter.com/lena"),
    ("https://twitter.com/lena/", "https://www.twitter.com/lena"),
    ("http://www.x.com/lena", "https://www.twitter.com/lena"),
    ("TWITTER.com/Lena", "https://www.twitter.com/Lena"),
    ("", ""),
    (None, ""),
])
def test_social_links_are_rebuilt_from_the_handle(link, url):
    assert clean_account_update({"social_links": [{"platform": "twitter", "social_link": link}]},
                                today=TODAY) == {"social_links": {"twitter": url}}


@pytest.mark.parametrize("link", ["https://evil.example/lena", "javascript:alert(1)", "a b", "lena?x=1",
                                  "https://twitter.com/a/b", 42])
def test_links_that_are_neither_a_handle_nor_a_platform_url_are_refused(link):
    assert "social_links" in errors_of({"social_links": [{"platform": "twitter", "social_link": link}]})


def test_merge_replaces_and_removes_only_the_platforms_named():
    stored = {"facebook": "https://www.facebook.com/a", "twitter": "https://www.twitter.com/b"}
    merged = merge_social_links(stored, {"twitter": "", "linkedin": "https://www.linkedin.com/in/c"})
    assert social_links_list(merged) == [
        {"platform": "facebook", "social_link": "https://www.facebook.com/a"},
        {"platform": "linkedin", "social_link": "https://www.linkedin.com/in/c"},
    ]


@pytest.mark.django_db
def test_update_account_writes_nothing_on_error(learner):
    api.update_account(learner, {"bio": "kept"})
    with pytest.raises(AccountValidationError):
        api.update_account(learner, {"bio": "lost", "country": "ZZ"})
    assert LearnerProfile.objects.get(user=learner).bio == "kept"


@pytest.mark.django_db
def test_an_empty_update_creates_no_profile(learner):
    api.update_account(learner, {})
    assert not LearnerProfile.objects.exists()


@pytest.mark.django_db
def test_update_account_accepts_a_username(learner):
    assert api.update_account("learner", {"country": "JP"}).country == "JP"

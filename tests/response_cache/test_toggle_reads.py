"""The toggles of a version read in one cache round trip give what each toggle's ``is_enabled()`` gives."""

from __future__ import annotations

import pytest
from crum import set_current_request
from django.core.cache import cache
from edx_django_utils.cache import RequestCache
from waffle.models import Flag, Switch

from openedx_learner_apis import toggles
from openedx_learner_apis.features.response_versions.toggle_reads import evaluate

pytestmark = pytest.mark.django_db

CHOSEN = (toggles.ENABLE_PROGRESS_MILESTONES, toggles.ENABLE_COURSE_GOALS, toggles.COURSE_EXIT_PAGE,
          toggles.ENABLE_ABOUT_SIDEBAR_HTML, toggles.ENABLE_STREAK_DISCOUNT)


@pytest.fixture
def as_request(rf):
    """Makes a GET by ``user`` crum's current request, with edx-toggles' request cache empty."""

    def make(user):
        RequestCache.clear_all_namespaces()
        request = rf.get("/")
        request.user = user
        set_current_request(request)
        return request

    yield make
    set_current_request(None)
    RequestCache.clear_all_namespaces()


def one_by_one() -> tuple:
    RequestCache.clear_all_namespaces()
    return tuple(f"{toggle.name}={toggle.is_enabled()}" for toggle in CHOSEN)


@pytest.fixture
def rows(learner):
    """A flag on for everyone, a flag for one learner, a switch on; the others have no row."""
    Flag.objects.create(name=toggles.ENABLE_PROGRESS_MILESTONES.name, everyone=True)
    targeted = Flag.objects.create(name=toggles.ENABLE_COURSE_GOALS.name, everyone=None)
    targeted.users.add(learner)
    Switch.objects.create(name=toggles.ENABLE_ABOUT_SIDEBAR_HTML.name, active=True)


@pytest.mark.parametrize("warm", [False, True])
def test_the_values_are_each_toggles_own(rows, learner, other_learner, as_request, warm):
    for user in (learner, other_learner):
        as_request(user)
        if warm:
            one_by_one()  # waffle's cache now holds every object
        as_request(user)
        batched = evaluate(CHOSEN)
        assert batched == one_by_one()
    as_request(learner)
    assert f"{toggles.ENABLE_COURSE_GOALS.name}=True" in evaluate(CHOSEN)
    as_request(other_learner)
    assert f"{toggles.ENABLE_COURSE_GOALS.name}=False" in evaluate(CHOSEN)


def record_cache_reads(monkeypatch) -> list:
    """``[("get", key) | ("get_many", [keys]), ...]`` of the default cache from now on.

    A ``get`` made inside ``get_many`` (the local-memory cache implements one with the other) is
    not counted: it is part of the one round trip.
    """
    reads, inside = [], []
    real_get, real_get_many = cache.get, cache.get_many

    def get(key, *args, **kwargs):
        if not inside:
            reads.append(("get", key))
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        reads.append(("get_many", list(keys)))
        inside.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(cache, "get", get)
    monkeypatch.setattr(cache, "get_many", get_many)
    return reads


def test_a_warm_cache_is_read_once(rows, learner, as_request, monkeypatch):
    as_request(learner)
    one_by_one()
    as_request(learner)
    reads = record_cache_reads(monkeypatch)
    values = evaluate(CHOSEN)
    assert reads[0][0] == "get_many" and len(reads[0][1]) == len(CHOSEN)
    # After it, only what waffle itself reads to evaluate the flag that targets users: its user ids.
    assert [kind for kind, _ in reads[1:]] == ["get"]
    assert len(values) == len(CHOSEN)


def test_without_a_request_only_everyone_counts(rows):
    set_current_request(None)
    RequestCache.clear_all_namespaces()
    values = dict(value.split("=") for value in evaluate(CHOSEN))
    assert values[toggles.ENABLE_PROGRESS_MILESTONES.name] == "True"
    assert values[toggles.ENABLE_COURSE_GOALS.name] == "False"
    assert values[toggles.ENABLE_ABOUT_SIDEBAR_HTML.name] == "True"


@pytest.mark.parametrize("revalidate", [False, True])
def test_a_course_info_hit_reads_the_cache_once(world, learner, jwt_client, monkeypatch, revalidate):
    """The version's tokens, every toggle and the entry in one round trip: nothing per toggle, no second read."""
    from openedx_learner_apis.rest_api.common.conditional import ENTRY_PREFIX
    from tests.course_builders import TOY_KEY

    client, url = jwt_client(learner), f"/api/courseware/course/{TOY_KEY}"
    client.get(url)
    etag = client.get(url)["ETag"]
    reads = record_cache_reads(monkeypatch)
    headers = {"HTTP_IF_NONE_MATCH": etag} if revalidate else {}
    assert client.get(url, **headers).status_code == (304 if revalidate else 200)
    assert [kind for kind, _ in reads] == ["get_many"]
    keys = reads[0][1]
    declared = [value for value in vars(toggles).values() if isinstance(value, (toggles.WaffleFlag,
                                                                                  toggles.WaffleSwitch))]
    assert sum("waffle" in key for key in keys) == len(declared) == 8
    assert sum(ENTRY_PREFIX in key for key in keys) == 1  # the entry


@pytest.mark.parametrize("waffle_settings", [
    {"WAFFLE_FLAG_DEFAULT": True, "WAFFLE_SWITCH_DEFAULT": True},
    {"WAFFLE_FLAG_DEFAULT": True, "WAFFLE_LOG_MISSING_FLAGS": 30, "WAFFLE_LOG_MISSING_SWITCHES": 30},
])
def test_a_toggle_without_a_row_answers_waffles_default(rows, learner, as_request, waffle_settings):
    """Without a row the value is waffle's default, worked out once per process, and follows the settings."""
    from django.test import override_settings

    as_request(learner)
    one_by_one()  # waffle's cache now holds CACHE_EMPTY for the toggles without a row
    as_request(learner)
    assert evaluate(CHOSEN) == one_by_one()
    with override_settings(**waffle_settings):
        as_request(learner)
        one_by_one()
        as_request(learner)
        batched = evaluate(CHOSEN)
        assert batched == one_by_one()
        assert f"{toggles.COURSE_EXIT_PAGE.name}=True" in batched


def test_waffle_creating_missing_toggles_still_does(rows, learner, as_request, settings):
    """With ``WAFFLE_CREATE_MISSING_FLAGS`` the missing flag's object is evaluated as waffle does: its row is made."""
    as_request(learner)
    one_by_one()
    settings.WAFFLE_CREATE_MISSING_FLAGS = True
    as_request(learner)
    evaluate(CHOSEN)
    assert Flag.objects.filter(name=toggles.COURSE_EXIT_PAGE.name).exists()

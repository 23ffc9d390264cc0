"""Per-process memos kept under generation tokens: served while the token stays, never after a write replaces it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.api import upsert_course, upsert_course_mode
from openedx_learner_apis.applets.courses.cache import generations_and_shared, shared_course_overviews
from openedx_learner_apis.applets.enrollments.expiry import DurationLimitConfigs
from openedx_learner_apis.applets.enrollments.models import CourseDurationLimitConfig
from openedx_learner_apis.applets.mobile.models import MobileConfig
from openedx_learner_apis.core import cache as cache_module
from openedx_learner_apis.core.cache import GenerationCache, ProcessMemo
from openedx_learner_apis.core.config_rows import current_rows, forget_current_rows
from openedx_learner_apis.core.versions import SHARED, read_tokens, shared_tokens
from openedx_learner_apis.features.mobile.configs import structured_configs

COURSE = CourseKey.from_string("course-v1:edX+Memo+1")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(cache_module.time, "monotonic", clock)
    return clock


def test_the_memo_keeps_the_most_recent_values_for_their_lifetime(clock):
    memo = ProcessMemo(size=2, timeout=10)
    memo.put("a", 1)
    memo.put("b", None)
    assert memo.get("b", "missing") is None and memo.get("a") == 1  # a stored None is a value
    memo.put("c", 3)  # "b" was used least recently
    assert memo.get("b", "missing") == "missing" and memo.get("a") == 1 and memo.get("c") == 3
    clock.now += 11
    assert memo.get("a", "missing") == "missing"


@pytest.mark.django_db
def test_cached_serves_the_memo_without_a_cache_read_under_the_same_tokens(monkeypatch):
    generations = GenerationCache("test-memo")
    memo = ProcessMemo()
    loads = []

    def load(missing):
        loads.append(missing)
        return {scope: object() for scope in missing}

    tokens = generations.generations(["x"])
    first = generations.cached("kind", ["x"], load, tokens=tokens, memo=memo)
    reads = []
    monkeypatch.setattr(cache, "get_many", lambda keys: reads.append(keys) or {})
    assert generations.cached("kind", ["x"], load, tokens=tokens, memo=memo)["x"] is first["x"]
    assert reads == [] and len(loads) == 1
    monkeypatch.undo()
    generations.invalidate(["x"])
    assert generations.cached("kind", ["x"], load, memo=memo)["x"] is not first["x"] and len(loads) == 2


@pytest.mark.django_db
def test_shared_overviews_follow_every_write():
    upsert_course(COURSE, display_name="Before")
    tokens, _ = generations_and_shared([COURSE])
    first = shared_course_overviews([COURSE], tokens)[COURSE]
    with CaptureQueriesContext(connection) as queries:
        again = shared_course_overviews([COURSE], generations_and_shared([COURSE])[0])[COURSE]
    assert again is first and len(queries) == 0
    upsert_course(COURSE, display_name="After")
    assert shared_course_overviews([COURSE], generations_and_shared([COURSE])[0])[COURSE].display_name == "After"
    upsert_course_mode(COURSE, "verified", min_price=5)
    course = shared_course_overviews([COURSE], generations_and_shared([COURSE])[0])[COURSE]
    assert [mode.mode_slug for mode in course.modes.all()] == ["verified"]


@pytest.mark.django_db
def test_a_read_between_a_write_and_its_commit_is_not_served_after_the_commit(django_capture_on_commit_callbacks):
    upsert_course(COURSE, display_name="Committed")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            upsert_course(COURSE, display_name="Written")
            # A reader elsewhere still sees the committed row: it keeps it under the token of the moment.
            tokens, _ = generations_and_shared([COURSE])
            shared_course_overviews([COURSE], tokens)
    assert shared_course_overviews([COURSE], generations_and_shared([COURSE])[0])[COURSE].display_name == "Written"


def shared_token() -> str:
    return read_tokens([(shared_tokens, SHARED)])[0]


@pytest.mark.django_db
def test_configuration_rows_under_the_shared_token_follow_every_write():
    MobileConfig.objects.create(name="calendar_sync", value="true")
    token = shared_token()
    assert structured_configs(shared_token=token)["calendar_sync"] == "true"
    with CaptureQueriesContext(connection) as queries:
        assert structured_configs(shared_token=shared_token())["calendar_sync"] == "true"
        assert DurationLimitConfigs.load(shared_token=shared_token()).enabled_as_of(COURSE) is None
        assert DurationLimitConfigs.load(shared_token=shared_token()).enabled_as_of(COURSE) is None
    assert len(queries) == 1  # the first read of the duration limits under this token
    MobileConfig.objects.create(name="calendar_sync", value="false")
    CourseDurationLimitConfig.objects.create(enabled=True, course_key=COURSE, enabled_as_of=None)
    assert shared_token() != token
    assert structured_configs(shared_token=shared_token())["calendar_sync"] == "false"
    assert DurationLimitConfigs.load(shared_token=shared_token())._courses[str(COURSE)].enabled is True


@pytest.mark.django_db
def test_configuration_rows_follow_bulk_writes_through_forget_current_rows():
    MobileConfig.objects.create(name="calendar_sync", value="true")
    assert current_rows(MobileConfig, shared_token=shared_token())[("calendar_sync",)].value == "true"
    MobileConfig.objects.update(value="false")
    forget_current_rows(MobileConfig)
    assert current_rows(MobileConfig, shared_token=shared_token())[("calendar_sync",)].value == "false"

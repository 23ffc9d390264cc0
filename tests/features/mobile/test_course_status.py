"""The mobile course-status use case as functions: the last visited path, saving it, stale updates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey, UsageKey

from openedx_learner_apis.api import get_outline, set_position
from openedx_learner_apis.applets.progress.course_status import get_positions
from openedx_learner_apis.applets.progress.models import CoursewarePosition
from openedx_learner_apis.features.mobile.course_status import InvalidModule, last_visited_path, save_last_visited
from tests.course_builders import build_course

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Path+1"
COURSE_KEY = CourseKey.from_string(KEY)


def key(kind, block_id):
    return f"block-v1:edX+Path+1+type@{kind}+block@{block_id}"


def usage(kind, block_id):
    return UsageKey.from_string(key(kind, block_id))


def path(user, staff=False):
    outline = get_outline(COURSE_KEY)
    return [str(k) for k in last_visited_path(outline, get_positions(user, outline.course_key), staff=staff,
                                               now=timezone.now())]


@pytest.fixture(autouse=True)
def outline():
    build_course(KEY, outline=((0, 2), (1,)))  # ch1s1 is empty
    return get_outline(COURSE_KEY)


def test_first_usable_subsection(learner):
    assert path(learner) == [key("sequential", "ch1s2"), key("chapter", "ch1"), key("course", "course")]


def test_saved_positions_are_followed(learner):
    set_position(learner, key("course", "course"), 2)
    assert path(learner)[0] == key("sequential", "ch2s1")
    set_position(learner, key("course", "course"), 9)  # out of range: first usable chapter
    assert path(learner)[1] == key("chapter", "ch1")


def test_course_without_content(learner):
    build_course("course-v1:edX+Bare+1", outline=())
    outline = get_outline(CourseKey.from_string("course-v1:edX+Bare+1"))
    assert [str(k) for k in last_visited_path(outline, {}, staff=False, now=timezone.now())] == [
        "block-v1:edX+Bare+1+type@course+block@course"]


def test_save_writes_positions_once(learner, outline):
    assert save_last_visited(learner, outline, usage("vertical", "ch1s2u2"))
    assert {str(k): v for k, v in get_positions(learner, outline.course_key).items()} == {
        key("course", "course"): 1, key("chapter", "ch1"): 2, key("sequential", "ch1s2"): 2}
    before = list(CoursewarePosition.objects.values_list("modified", flat=True))
    save_last_visited(learner, outline, usage("vertical", "ch1s2u2"))
    assert list(CoursewarePosition.objects.values_list("modified", flat=True)) == before  # unchanged: no write


def test_save_rejects_foreign_or_unknown_blocks(learner, outline):
    for bad in ("block-v1:edX+Other+1+type@vertical+block@ch1s2u1", key("vertical", "nope")):
        with pytest.raises(InvalidModule):
            save_last_visited(learner, outline, UsageKey.from_string(bad))
    assert not CoursewarePosition.objects.exists()


def test_modification_date_must_be_strictly_later(learner, outline):
    unit = usage("vertical", "ch1s2u1")
    other = usage("vertical", "ch2s1u1")
    stored = timezone.now()
    assert save_last_visited(learner, outline, unit, modification_date=stored)
    assert not save_last_visited(learner, outline, other, modification_date=stored)
    assert not save_last_visited(learner, outline, other, modification_date=stored - timedelta(seconds=1))
    assert save_last_visited(learner, outline, other, modification_date=stored + timedelta(microseconds=1))
    assert CoursewarePosition.objects.get(block_key=key("course", "course")).position == 2


def test_a_same_chapter_update_counts_for_later_dates(learner):
    """X, then Y (same chapter, other subsection), then Z older than Y: Z is stale, Y stays."""
    build_course("course-v1:edX+Order+1", outline=((1, 1), (1,)))
    outline = get_outline(CourseKey.from_string("course-v1:edX+Order+1"))
    unit = {name: UsageKey.from_string(f"block-v1:edX+Order+1+type@vertical+block@{name}")
            for name in ("ch1s1u1", "ch1s2u1", "ch2s1u1")}
    start = timezone.now()
    assert save_last_visited(learner, outline, unit["ch1s1u1"], modification_date=start)
    assert save_last_visited(learner, outline, unit["ch1s2u1"], modification_date=start + timedelta(minutes=10))
    assert not save_last_visited(learner, outline, unit["ch2s1u1"], modification_date=start + timedelta(minutes=5))
    positions = {str(k): v for k, v in get_positions(learner, outline.course_key).items()}
    assert positions["block-v1:edX+Order+1+type@course+block@course"] == 1
    assert positions["block-v1:edX+Order+1+type@chapter+block@ch1"] == 2
    assert save_last_visited(learner, outline, unit["ch2s1u1"], modification_date=start + timedelta(minutes=11))
    assert get_positions(learner, outline.course_key)[outline.root.usage_key] == 2


def test_dates_are_the_clients_not_the_servers(learner, outline):
    """A device whose clock runs behind the server's still moves its own position forward."""
    behind = timezone.now() - timedelta(hours=1)
    assert save_last_visited(learner, outline, usage("vertical", "ch1s2u1"), modification_date=behind)
    assert save_last_visited(learner, outline, usage("vertical", "ch2s1u1"),
                             modification_date=behind + timedelta(seconds=1))
    assert not save_last_visited(learner, outline, usage("vertical", "ch1s2u2"), modification_date=behind)
    assert path(learner)[0] == key("sequential", "ch2s1")


def test_set_position_moves_the_date_forward(learner, outline):
    """A position set through the Python API counts from the time it was written."""
    assert save_last_visited(learner, outline, usage("vertical", "ch1s2u1"),
                             modification_date=timezone.now() - timedelta(hours=1))
    set_position(learner, key("chapter", "ch1"), 1)
    assert not save_last_visited(learner, outline, usage("vertical", "ch2s1u1"),
                                 modification_date=timezone.now() - timedelta(minutes=30))

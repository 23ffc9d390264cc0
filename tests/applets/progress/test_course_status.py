"""Progress reads without HTTP: the primary's course status and the latest progress (docs/mobile.rst)."""

from __future__ import annotations

import pytest
from opaque_keys.edx.keys import CourseKey, UsageKey

from openedx_learner_apis.api import get_outline, record_completion, set_position
from openedx_learner_apis.applets.progress.course_status import (
    completion_course_status,
    last_completed_block,
    recent_progress,
)
from tests.course_builders import build_course

pytestmark = pytest.mark.django_db

KEY = "course-v1:edX+Path+1"
COURSE_KEY = CourseKey.from_string(KEY)


def key(kind, block_id):
    return f"block-v1:edX+Path+1+type@{kind}+block@{block_id}"


def usage(kind, block_id):
    return UsageKey.from_string(key(kind, block_id))


@pytest.fixture(autouse=True)
def outline():
    build_course(KEY, outline=((0, 2), (1,)))  # ch1s1 is empty
    return get_outline(COURSE_KEY)



def test_completion_course_status(learner, outline):
    assert completion_course_status(outline, None) is None
    record_completion(learner, key("problem", "ch2s1u1p"))
    status = completion_course_status(outline, last_completed_block(learner, outline.course_key))
    assert status["last_visited_module_path"] == [key("course", "course"), key("chapter", "ch2"),
                                                  key("sequential", "ch2s1")]
    assert status["last_visited_unit_display_name"] == "ch2s1u1"
    assert completion_course_status(outline, usage("sequential", "ch2s1")) is None


def test_recent_progress_takes_both_sources_newest_first(learner):
    assert recent_progress(learner) == []
    record_completion(learner, key("problem", "ch2s1u1p"))
    set_position(learner, "block-v1:edX+Else+1+type@course+block@course", 1)
    assert [str(course_key) for course_key, _ in recent_progress(learner)] == ["course-v1:edX+Else+1", KEY]
    assert [str(course_key) for course_key, _ in recent_progress(learner, offset=1, limit=5)] == [KEY]
    assert [str(course_key) for course_key, _ in recent_progress(learner, limit=1)] == ["course-v1:edX+Else+1"]

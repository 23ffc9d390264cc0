"""Assignment counting and the due-date split (docs/mobile.rst, "course_enrollments")."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

import pytest
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.api import get_outline, record_completion
from openedx_learner_apis.applets.progress.assignments import (
    Assignment,
    course_assignments,
    course_completions,
    course_progress,
    split_assignments,
)
from openedx_learner_apis.applets.progress.course_status import last_completed_block
from tests.course_builders import build_course

NOW = datetime(2024, 6, 1, 12, tzinfo=dt_timezone.utc)


def key(kind, block_id):
    return f"block-v1:edX+Asg+1+type@{kind}+block@{block_id}"


@pytest.mark.django_db
def test_counting_with_ora_steps(learner):
    from opaque_keys.edx.keys import CourseKey, UsageKey

    from openedx_learner_apis.applets.courses.models import Block
    from openedx_learner_apis.applets.courses.outline import invalidate_outline
    build_course("course-v1:edX+Asg+1", outline=((1, 1, 1),), blocks={
        "ch1s1": {"graded": True, "due": NOW - timedelta(days=1), "format": "Homework"},
        "ch1s2": {"graded": True, "start": NOW + timedelta(days=3)},
        "ch1s3": {"graded": False}})
    ora = Block.objects.get(usage_key=key("problem", "ch1s3u1p"))
    ora.block_type, ora.has_score, ora.graded = "openassessment", True, True
    ora.fields = {"ora_steps": [{"name": "submission", "start": None, "due": "2024-06-05T00:00:00+00:00"},
                                {"name": "peer-assessment", "start": None, "due": None}]}
    ora.save()
    invalidate_outline(CourseKey.from_string("course-v1:edX+Asg+1"))
    outline = get_outline(CourseKey.from_string("course-v1:edX+Asg+1"))
    completed = {UsageKey.from_string(key("problem", "ch1s1u1p")), UsageKey.from_string(key("problem", "ch1s2u1p"))}
    items = course_assignments(outline, completed, now=NOW)
    assert [(item.title, item.complete) for item in items] == [
        ("ch1s1", True), ("ch1s2", False), ("ch1s3u1p (Submission)", False)]  # ch1s2 not released yet
    assert course_progress(items) == {"total_assignments_count": 3, "assignments_completed": 1}
    assert course_progress([]) == {"total_assignments_count": 0, "assignments_completed": 0}


@pytest.mark.django_db
def test_course_completions(learner):
    record_completion(learner, key("problem", "a"))
    record_completion(learner, key("problem", "b"), 0.5)  # partial: not completed, but the last changed
    course_key = CourseKey.from_string("course-v1:edX+Asg+1")
    completed, last_changed = course_completions(learner, [course_key])
    assert {str(k) for k in completed[course_key]} == {key("problem", "a")}
    assert str(last_changed[course_key]) == key("problem", "b") == str(last_completed_block(learner, course_key))
    assert course_completions(learner, []) == ({}, {})


def item(days, complete=False, hours=0):
    return Assignment(title=f"{days}/{hours}", date=NOW + timedelta(days=days, hours=hours),
                      assignment_type=None, complete=complete, block_key=None, first_component_block_id=None,
                      released=True)


def test_split_keeps_past_and_the_next_due_day():
    items = [item(-2), item(-1, complete=True), item(1, complete=True), item(2), item(2, hours=3), item(5)]
    past, future = split_assignments(items, now=NOW, tz=dt_timezone.utc)
    assert [entry.title for entry in past] == ["-2/0", "-1/0"]
    assert [entry.title for entry in future] == ["2/0", "2/3"]


def test_split_uses_the_learner_time_zone():
    items = [item(1, hours=10), item(1, hours=13)]  # 22:00 and 01:00 UTC next day
    _, future_utc = split_assignments(items, now=NOW, tz=dt_timezone.utc)
    _, future_tokyo = split_assignments(items, now=NOW, tz=ZoneInfo("Asia/Tokyo"))
    assert len(future_utc) == 1 and len(future_tokyo) == 2
    assert split_assignments([], now=NOW, tz=dt_timezone.utc) == ([], [])

"""Celebration rows and the ``celebrations`` dict (docs/courseware.rst, "Celebrations and streaks")."""

from __future__ import annotations

from datetime import date

import pytest
from waffle.testutils import override_flag

from openedx_learner_apis.api import enroll, set_course_goal, upsert_course
from openedx_learner_apis.applets.engagement.activity import record_user_activity
from openedx_learner_apis.applets.engagement.celebrations import (
    NO_CELEBRATIONS,
    get_celebrations,
    update_enrollment_celebration,
)
from openedx_learner_apis.applets.engagement.models import CourseEnrollmentCelebration, UserCelebration

pytestmark = pytest.mark.django_db
COURSE = "course-v1:edX+toy+run"
MONDAY = date(2026, 3, 2)


@pytest.fixture
def enrollment(learner):
    upsert_course(COURSE)
    return enroll(learner, COURSE)


def celebrations(user, enrollment, **kwargs):
    options = {"today": MONDAY, "goal": None, "track_streak": False, "streak_discount": lambda: True,
               "on_streak_updated": lambda length: None, **kwargs}
    return get_celebrations(user, enrollment, COURSE, **options)


def test_row_on_enrollment_only_with_milestones(learner, other_learner):
    upsert_course(COURSE)
    enroll(learner, COURSE)
    assert not CourseEnrollmentCelebration.objects.exists()
    with override_flag("courseware.mfe_progress_milestones", active=True):
        enrollment = enroll(other_learner, COURSE)
    row = enrollment.celebration
    assert (row.celebrate_first_section, row.celebrate_weekly_goal) == (True, True)


def test_no_enrollment(learner):
    assert celebrations(learner, None, track_streak=True) == NO_CELEBRATIONS
    assert not UserCelebration.objects.exists()


def test_update_keeps_unset_flags(learner, enrollment):
    row, created = update_enrollment_celebration(learner, enrollment, first_section=True)
    assert created and row.celebrate_first_section and not row.celebrate_weekly_goal
    row, created = update_enrollment_celebration(learner, enrollment, weekly_goal=True)
    assert not created and row.celebrate_first_section and row.celebrate_weekly_goal


def test_weekly_goal_needs_exactly_the_goal(learner, enrollment):
    update_enrollment_celebration(learner, enrollment, weekly_goal=True)
    enrollment.refresh_from_db()
    goal = set_course_goal(learner, COURSE, 2, False)
    record_user_activity(learner, COURSE, MONDAY, cache_seconds=1)
    assert celebrations(learner, enrollment, goal=goal)["weekly_goal"] is False
    record_user_activity(learner, COURSE, date(2026, 3, 3), cache_seconds=1)
    assert celebrations(learner, enrollment, goal=goal, today=date(2026, 3, 3))["weekly_goal"] is True
    record_user_activity(learner, COURSE, date(2026, 3, 4), cache_seconds=1)
    assert celebrations(learner, enrollment, goal=goal, today=date(2026, 3, 4))["weekly_goal"] is False


def test_streak_discount_only_when_celebrating(learner, enrollment):
    asked = []
    result = celebrations(learner, enrollment, track_streak=True, streak_discount=lambda: asked.append(1) or True)
    assert result["streak_length_to_celebrate"] is None and result["streak_discount_enabled"] is False
    assert asked == []

"""Sequence rules without HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest

from openedx_learner_apis.api import get_course, get_outline
from openedx_learner_apis.applets.courses.models import SubsectionPrerequisite
from openedx_learner_apis.features.courseware.sequences import (
    BANNER_HIDDEN_SELF_PACED,
    LearnerState,
    Viewer,
    completion_percent,
    provides_sequence_metadata,
    requirement_met,
    sequence_metadata,
    unit_complete,
    unit_icon,
)
from openedx_learner_apis.hooks import DefaultHooks
from tests.course_builders import TOY_KEY, sequence_key, toy_course, unit_key, usage

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, tzinfo=dt_timezone.utc)


class IconHooks(DefaultHooks):
    def unit_icon_type(self, unit):
        return "lightbulb"


@pytest.fixture
def outline():
    toy_course(units=2)
    return get_outline(sequence_key().course_key)


def viewer(user, **kwargs):
    return Viewer(user=user, is_staff=kwargs.pop("is_staff", False), has_course_access=True, **kwargs)


def test_types_and_icons(outline):
    assert provides_sequence_metadata(outline.get(sequence_key()))
    assert not provides_sequence_metadata(outline.get(unit_key()))
    assert unit_icon(outline.get(unit_key())) == "problem"


def test_completion(outline):
    unit = outline.get(unit_key())
    completions = {usage(TOY_KEY, "problem", "problem_0"): 1.0}
    assert completion_percent(unit, completions) == 50.0
    assert unit_complete(unit, completions) is False
    completions[usage(TOY_KEY, "html", "html_0")] = 1.0
    assert unit_complete(unit, completions) is True


def test_requirement_met_uses_score_only_for_graded(outline):
    sequence = outline.get(sequence_key())
    gate = SubsectionPrerequisite(min_score=80, min_completion=0)
    assert requirement_met(gate, sequence, LearnerState()) is True  # not graded
    sequence.graded = True
    assert requirement_met(gate, sequence, LearnerState()) is False
    assert requirement_met(gate, sequence, LearnerState(subsection_grades={sequence_key(): (4, 5)})) is True
    assert requirement_met(gate, None, LearnerState()) is True


def test_hidden_after_due_self_paced_banner(outline, learner):
    course = get_course(TOY_KEY)
    course.self_paced, course.end = True, NOW - timedelta(days=1)
    sequence = outline.get(sequence_key())
    sequence.hide_after_due = True
    body = sequence_metadata(outline, sequence, course, viewer=viewer(learner, specific_masquerade=True),
                             state=LearnerState(), hooks=DefaultHooks(), now=NOW)
    assert (body["banner_text"], body["is_hidden_after_due"]) == (BANNER_HIDDEN_SELF_PACED, False)
    body = sequence_metadata(outline, sequence, course, viewer=viewer(learner, is_staff=True),
                             state=LearnerState(), hooks=DefaultHooks(), now=NOW)
    assert (body["banner_text"], body["is_hidden_after_due"]) == (None, False)


def test_icon_hook_and_items(outline, learner):
    body = sequence_metadata(outline, outline.get(sequence_key()), get_course(TOY_KEY), viewer=viewer(learner),
                             state=LearnerState(position=2), hooks=IconHooks(), now=NOW)
    assert [item["type"] for item in body["items"]] == ["lightbulb", "lightbulb"]
    assert body["position"] == 2

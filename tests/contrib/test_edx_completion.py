"""edx-completion's writes, followed live: completions submitted through its API show in the app's endpoints.

The suite installs the ``completion`` app whenever edx-completion is importable (CI installs
it); these tests write through ``BlockCompletion.objects.submit_completion`` and friends, as
the LMS does, and read the copies through the courseware resume endpoint and the applet.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import override_settings

pytest.importorskip("completion")

from completion.models import BlockCompletion as LmsBlockCompletion  # noqa: E402
from eventtracking import tracker  # noqa: E402
from waffle.testutils import override_switch  # noqa: E402

from openedx_learner_apis.api import enroll  # noqa: E402
from openedx_learner_apis.applets.progress.models import BlockCompletion  # noqa: E402
from openedx_learner_apis.contrib.edx_completion import receivers  # noqa: E402
from tests.course_builders import TOY_KEY, sequence_key, toy_course, unit_key, usage  # noqa: E402

pytestmark = pytest.mark.django_db

RESUME = f"/api/courseware/resume/{TOY_KEY}"
PROBLEM = usage(TOY_KEY, "problem", "problem_1")
HTML = usage(TOY_KEY, "html", "html_0")


@pytest.fixture(autouse=True)
def tracking_on(monkeypatch):
    """Completion tracking is on, and edx-completion's tracking log goes to a tracker with no backend."""
    monkeypatch.setitem(tracker.TRACKERS, tracker.DEFAULT_TRACKER_NAME, tracker.Tracker())
    with override_switch("completion.enable_completion_tracking", active=True):
        yield


@pytest.fixture
def enrolled(learner):
    toy_course(units=2)
    enroll(learner, TOY_KEY, "verified")
    return learner


def copies(user):
    return {str(row.block_key): row.completion for row in BlockCompletion.objects.filter(user=user)}


def test_a_submitted_completion_is_the_resume_point(enrolled, jwt_client):
    LmsBlockCompletion.objects.submit_completion(enrolled, PROBLEM, 1.0)
    assert jwt_client(enrolled).get(RESUME).json() == {
        "block_id": str(PROBLEM), "section_id": str(sequence_key()), "unit_id": str(unit_key(1))}


def test_the_copy_keeps_the_lms_times_and_follows_updates(enrolled):
    lms_row, _ = LmsBlockCompletion.objects.submit_completion(enrolled, HTML, 0.5)
    LmsBlockCompletion.objects.submit_completion(enrolled, HTML, 1.0)
    lms_row.refresh_from_db()
    copy = BlockCompletion.objects.get(user=enrolled, block_key=HTML)
    assert (copy.completion, copy.created, copy.modified) == (1.0, lms_row.created, lms_row.modified)
    assert copy.course_key == lms_row.context_key


def test_a_batch_and_a_course_reset_are_followed(enrolled, jwt_client):
    LmsBlockCompletion.objects.submit_batch_completion(enrolled, [(HTML, 1.0), (PROBLEM, 0.25)])
    assert copies(enrolled) == {str(HTML): 1.0, str(PROBLEM): 0.25}
    LmsBlockCompletion.objects.clear_learning_context_completion(enrolled, HTML.course_key)
    assert copies(enrolled) == {}
    assert jwt_client(enrolled).get(RESUME).json() == {"block_id": None, "section_id": None, "unit_id": None}


def test_the_latest_lms_write_wins_the_resume_point(enrolled, jwt_client):
    LmsBlockCompletion.objects.submit_completion(enrolled, PROBLEM, 1.0)
    LmsBlockCompletion.objects.submit_completion(enrolled, HTML, 1.0)
    assert jwt_client(enrolled).get(RESUME).json()["block_id"] == str(HTML)


@override_settings(OPENEDX_LEARNER_APIS={"MIRROR_COMPLETIONS": False})
def test_the_setting_turns_the_copy_off(enrolled):
    LmsBlockCompletion.objects.submit_completion(enrolled, HTML, 1.0)
    assert copies(enrolled) == {}


def test_a_failing_copy_leaves_the_lms_write_in_place(enrolled, caplog):
    with mock.patch.object(receivers.api, "record_completion", side_effect=RuntimeError("boom")):
        LmsBlockCompletion.objects.submit_completion(enrolled, HTML, 1.0)
    assert LmsBlockCompletion.objects.filter(user=enrolled, block_key=HTML).exists()
    assert copies(enrolled) == {}
    assert "Could not copy the completion" in caplog.text


def test_mirror_completion_as_a_function(enrolled):
    lms_row = LmsBlockCompletion.objects.create(user=enrolled, context_key=HTML.course_key, block_key=HTML,
                                                block_type="html", completion=0.75)
    BlockCompletion.objects.all().delete()
    copy = receivers.mirror_completion(lms_row)
    assert (copy.completion, copy.modified) == (0.75, lms_row.modified)
    lms_row.completion = 7.0
    assert receivers.mirror_completion(lms_row) is None
    assert receivers.forget_completion(lms_row) == 1

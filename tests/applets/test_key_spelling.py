"""A course or usage key names a row only when spelled exactly as stored, on every database.

Key columns compare case-insensitively on SQLite and MySQL/MariaDB and exactly on
PostgreSQL. Each lookup below once found (or cached, or counted) a row spelled otherwise on
the first two; each must behave as PostgreSQL does (docs/decisions/0002-bad-input-is-a-4xx.rst).
Rows under another spelling are written through the public API, as a host could; on SQLite
and MariaDB such a row and one spelled as the course are the same row for the unique
indexes, so the rows spelled as stored are checked in tests of their own.
"""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

import pytest
from opaque_keys.edx.keys import CourseKey, UsageKey

from openedx_learner_apis import api
from openedx_learner_apis.applets.badges.api import AssertionFilters, user_badge_assertions
from openedx_learner_apis.applets.courses.api import CourseNotFound, get_course_overview
from openedx_learner_apis.applets.courses.cache import GenerationCache, get_course_overviews
from openedx_learner_apis.applets.courses.outline import get_outline
from openedx_learner_apis.applets.engagement.models import CourseGoal
from openedx_learner_apis.applets.enrollments.api import get_enrollment
from openedx_learner_apis.applets.progress.course_status import last_completed_block, position_date
from openedx_learner_apis.features.courseware.course_info import CourseInfo
from openedx_learner_apis.features.courseware.sequences import load_learner_state
from openedx_learner_apis.features.mobile.selection import EnrollmentStatuses, select_enrollments
from tests.course_builders import TOY_KEY, sequence_key, toy_course, unit_key

pytestmark = pytest.mark.django_db

STORED = CourseKey.from_string(TOY_KEY)
OTHER = CourseKey.from_string("course-v1:edx+TOY+2012_fall")
NOW = datetime(2024, 6, 1, tzinfo=dt_timezone.utc)


def respelled(usage_key) -> UsageKey:
    """The same block in the course spelled ``OTHER``."""
    return UsageKey.from_string(str(usage_key).replace("edX+toy+2012_Fall", "edx+TOY+2012_fall"))


@pytest.fixture
def course(learner):
    course = toy_course(mobile_available=True)
    api.enroll(learner, TOY_KEY)
    return course


# Badges: the list filter ?course_id=

@pytest.fixture
def course_badge(learner, course):
    from tests.applets.badges.test_badges_api import award, make_class

    return award(learner, make_class(course_key=STORED))


def test_the_badge_filter_needs_the_stored_spelling(learner, course_badge):
    assert list(user_badge_assertions(learner, AssertionFilters(course_key=STORED))) == [course_badge]
    assert list(user_badge_assertions(learner, AssertionFilters(course_key=OTHER))) == []
    assert user_badge_assertions(learner, AssertionFilters.from_query({"course_id": str(OTHER)})).count() == 0


def test_the_badge_list_of_another_spelling_is_empty(learner, course_badge, session_client):
    client = session_client(learner)
    url = "/api/badges/v1/assertions/user/learner/"
    response = client.get(url, {"course_id": str(OTHER)})
    assert response.status_code == 200
    assert (response.json()["count"], response.json()["results"]) == (0, [])
    assert client.get(url, {"course_id": TOY_KEY}).json()["count"] == 1


# Cached overviews

def test_an_overview_is_never_found_or_cached_under_another_spelling(course):
    assert get_course_overviews([OTHER]) == {}
    assert get_course_overviews([OTHER]) == {}  # nothing was cached under it either
    assert list(get_course_overviews([OTHER, STORED])) == [STORED]
    with pytest.raises(CourseNotFound):
        get_course_overview(str(OTHER))
    assert get_course_overview(TOY_KEY).course_key == STORED


def test_the_generation_cache_keeps_only_the_scopes_asked_for():
    cache = GenerationCache("test-spelling")
    assert cache.cached("kind", ["a"], lambda missing: {"a": 1, "A": 2}) == {"a": 1}
    assert cache.cached("kind", ["A"], lambda missing: {}) == {}


# Enrollments

def test_get_enrollment_needs_the_stored_spelling(learner, course):
    assert get_enrollment(learner, STORED).course == course
    assert get_enrollment(learner, OTHER) is None


def test_a_certificate_under_another_spelling_does_not_complete_the_course(learner, course):
    api.issue_certificate(learner, OTHER, status="downloadable", mode="verified")
    completed = select_enrollments(learner, status=EnrollmentStatuses.COMPLETED, now=NOW).enrollments
    assert list(completed) == []


def test_a_certificate_spelled_as_the_course_completes_it(learner, course):
    api.issue_certificate(learner, STORED, status="downloadable", mode="verified")
    assert len(select_enrollments(learner, status=EnrollmentStatuses.COMPLETED, now=NOW).enrollments) == 1


def test_a_role_under_another_spelling_does_not_show_a_course_the_apps_hide(learner, course):
    api.upsert_course(TOY_KEY, mobile_available=False)
    api.grant_course_role(learner, OTHER, "beta_testers")
    assert list(select_enrollments(learner, now=NOW).enrollments) == []


def test_a_role_spelled_as_the_course_shows_it(learner, course):
    api.upsert_course(TOY_KEY, mobile_available=False)
    api.grant_course_role(learner, STORED, "beta_testers")
    assert len(select_enrollments(learner, now=NOW).enrollments) == 1


# Course status and sequences

def test_positions_and_completions_under_another_spelling_are_not_the_course_s(learner, course):
    api.set_position(learner, respelled(sequence_key()), 1)
    api.record_completion(learner, respelled(unit_key()))
    assert position_date(learner, STORED) is None
    assert last_completed_block(learner, STORED) is None


def test_positions_and_completions_spelled_as_the_course_are_its(learner, course):
    api.set_position(learner, sequence_key(), 1)
    api.record_completion(learner, unit_key())
    assert position_date(learner, STORED) is not None
    assert last_completed_block(learner, STORED) == UsageKey.from_string(str(unit_key()))


def test_a_sequence_position_under_another_spelling_is_not_the_sequence_s(learner, course):
    outline = get_outline(STORED)
    sequence = outline.get(UsageKey.from_string(str(sequence_key())))
    api.set_position(learner, respelled(sequence.usage_key), 2)
    assert load_learner_state(learner, course, outline, sequence, gating=False).position is None


def test_a_sequence_position_spelled_as_the_sequence_is_its(learner, course):
    outline = get_outline(STORED)
    sequence = outline.get(UsageKey.from_string(str(sequence_key())))
    api.set_position(learner, sequence.usage_key, 2)
    assert load_learner_state(learner, course, outline, sequence, gating=False).position == 2


# Course info (GET /api/courseware/course/{key})

def course_info(course, learner) -> CourseInfo:
    return CourseInfo(course, user=learner, real_user=learner, enrollment=get_enrollment(learner, STORED),
                      is_staff=False, roles=set(), masquerade=None, hooks=None, now=NOW)


def test_course_info_reads_only_rows_spelled_as_the_course(learner, course):
    api.issue_certificate(learner, OTHER, status="downloadable", mode="verified")
    api.set_course_grade(learner, OTHER, 0.9, True)
    CourseGoal.objects.create(user=learner, course_key=OTHER, days_per_week=3)
    info = course_info(course, learner)
    assert (info.certificate, info.grade_percent, info.goal) == (None, 0.0, None)


def test_course_info_reads_the_rows_spelled_as_the_course(learner, course):
    certificate = api.issue_certificate(learner, STORED, status="downloadable", mode="verified")
    api.set_course_grade(learner, STORED, 0.9, True)
    goal = CourseGoal.objects.create(user=learner, course_key=STORED, days_per_week=3)
    info = course_info(course, learner)
    assert (info.certificate, info.grade_percent, info.goal) == (certificate, 0.9, goal)


def test_the_entrance_exam_score_reads_only_grades_spelled_as_the_course(learner, course):
    course = api.upsert_course(TOY_KEY, entrance_exam_enabled=True, entrance_exam_id="chapter")
    api.set_subsection_grade(learner, respelled(sequence_key()), earned=1, possible=1)
    assert course_info(course, learner).entrance_exam_score() == 0.0


def test_the_entrance_exam_score_reads_the_grades_spelled_as_the_course(learner, course):
    course = api.upsert_course(TOY_KEY, entrance_exam_enabled=True, entrance_exam_id="chapter")
    api.set_subsection_grade(learner, sequence_key(), earned=1, possible=2)
    assert course_info(course, learner).entrance_exam_score() == 0.5

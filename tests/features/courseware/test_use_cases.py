"""The courseware use cases called as functions: who is shown, refusals, resume point, celebrations."""

from __future__ import annotations

from datetime import datetime, timezone as dt_timezone

import pytest
from django.contrib.auth.models import AnonymousUser

from openedx_learner_apis.api import enroll, grant_course_role, record_completion
from openedx_learner_apis.applets.engagement.models import LastSeenCoursewareTimezone
from openedx_learner_apis.features.courseware.celebrations import (
    CREATED,
    NOT_WRITTEN,
    UPDATED,
    celebrate,
    celebration_seen_as,
)
from openedx_learner_apis.features.courseware.course_info import course_info_for
from openedx_learner_apis.features.courseware.errors import (
    BlockUnavailable,
    CourseUnavailable,
    NoSuchLearner,
    NotAllowedToViewOther,
    NotASequence,
    NotEnrolled,
)
from openedx_learner_apis.features.courseware.resume import NO_RESUME_POINT, resume_for, resume_point
from openedx_learner_apis.features.courseware.sequences import sequence_for
from openedx_learner_apis.features.courseware.viewer import (
    Masquerade,
    SessionMasquerade,
    staff_status,
    viewing_named_user,
    with_session_masquerade,
)
from openedx_learner_apis.hooks import DefaultHooks
from tests.course_builders import TOY_KEY, sequence_key, toy_course, unit_key, usage

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 1, tzinfo=dt_timezone.utc)
COURSE_KEY = sequence_key().course_key
MISSING_KEY = usage("course-v1:edX+none+run", "sequential", "sequence").course_key


@pytest.fixture
def course():
    return toy_course()


def own(user):
    """The viewer for a user looking at their own data, as the REST layer resolves it."""
    roles, is_staff = staff_status(user, COURSE_KEY)
    return with_session_masquerade(user, COURSE_KEY, None, None, real_is_staff=is_staff, real_roles=roles)


def never_resolved(course_key):
    raise AssertionError("the viewer is resolved only once the course exists")


# Who is shown.

def test_staff_status_of_anonymous_and_instructor(course, make_user):
    instructor = make_user("instructor")
    grant_course_role(instructor, TOY_KEY, "instructor")
    assert staff_status(AnonymousUser(), COURSE_KEY) == (frozenset(), False)
    assert staff_status(instructor, COURSE_KEY) == (frozenset({"instructor"}), True)


def test_naming_another_user(course, learner, staff_user, make_user):
    other = make_user("other")
    with pytest.raises(NotAllowedToViewOther):
        viewing_named_user(learner, COURSE_KEY, "other", find_user=lambda name: other, real_is_staff=False)
    with pytest.raises(NoSuchLearner):
        viewing_named_user(staff_user, COURSE_KEY, "ghost", find_user=lambda name: None, real_is_staff=False)
    viewer = viewing_named_user(staff_user, COURSE_KEY, "other", find_user=lambda name: other, real_is_staff=False)
    assert viewer.user is other and viewer.is_viewing_other
    assert viewer.masquerade == Masquerade(active=True, specific_learner=True)


def test_session_masquerade_as_role(course, make_user):
    instructor = make_user("instructor")
    grant_course_role(instructor, TOY_KEY, "instructor")
    roles, _ = staff_status(instructor, COURSE_KEY)
    as_student = with_session_masquerade(instructor, COURSE_KEY, SessionMasquerade(role="student"), None,
                                         real_is_staff=True, real_roles=roles)
    assert (as_student.is_staff, as_student.real_is_staff, as_student.masquerade.active) == (False, True, True)
    as_staff = with_session_masquerade(instructor, COURSE_KEY, SessionMasquerade(role="staff", non_audit_track=True),
                                       None, real_is_staff=True, real_roles=roles)
    assert as_staff.is_staff and as_staff.masquerade.non_audit_track and not as_staff.is_viewing_other


# Refusals, before anything is read about the viewer.

def test_missing_course_is_refused_before_the_viewer_is_resolved(course):
    with pytest.raises(CourseUnavailable):
        course_info_for(MISSING_KEY, never_resolved, hooks=DefaultHooks(), now=NOW)
    with pytest.raises(CourseUnavailable):
        resume_for(MISSING_KEY, never_resolved, now=NOW)
    with pytest.raises(CourseUnavailable):
        sequence_for(MISSING_KEY.make_usage_key("sequential", "sequence"), never_resolved, preview=False,
                     anonymous_access=False, hooks=DefaultHooks(), now=NOW)


def test_sequence_refusals(course, learner):
    enroll(learner, TOY_KEY, "audit")
    common = {"preview": False, "anonymous_access": False, "hooks": DefaultHooks(), "now": NOW}
    with pytest.raises(BlockUnavailable):
        sequence_for(usage(TOY_KEY, "sequential", "nope"), never_resolved, **common)
    with pytest.raises(NotASequence):
        sequence_for(unit_key(), lambda key: own(learner), **common)
    with pytest.raises(BlockUnavailable):  # an anonymous visitor without anonymous access loads nothing
        sequence_for(sequence_key(), lambda key: own(AnonymousUser()), **common)
    assert sequence_for(sequence_key(), lambda key: own(learner), **common)["item_id"] == str(sequence_key())


def test_course_info_for_records_the_visit_and_answers_fields(course, learner):
    enroll(learner, TOY_KEY, "verified")
    info = course_info_for(TOY_KEY, lambda key: own(learner), hooks=DefaultHooks(), now=NOW,
                           browser_timezone="Europe/Paris")
    assert info.enrollment_data == {"mode": "verified", "is_active": True}
    assert info.verification_status == DefaultHooks().verification_status(learner, COURSE_KEY)
    assert LastSeenCoursewareTimezone.objects.get(user=learner).last_seen_courseware_timezone == "Europe/Paris"


# Resume point.

def test_resume_point_follows_the_latest_completion(course, learner):
    assert resume_point(learner, COURSE_KEY) == NO_RESUME_POINT
    record_completion(learner, usage(TOY_KEY, "problem", "problem_0"))
    assert resume_point(learner, COURSE_KEY) == {
        "block_id": str(usage(TOY_KEY, "problem", "problem_0")), "section_id": str(sequence_key()),
        "unit_id": str(unit_key())}
    record_completion(learner, sequence_key())  # above unit level: nowhere to resume
    assert resume_point(learner, COURSE_KEY) == NO_RESUME_POINT


# Celebrations.

def test_celebrate_creates_then_updates(course, learner):
    with pytest.raises(NotEnrolled):
        celebrate(own(learner), COURSE_KEY, first_section=True)
    enroll(learner, TOY_KEY, "audit")  # progress milestones are off: no celebration row yet
    first = celebrate(own(learner), COURSE_KEY, first_section=True)
    assert (first.fields["first_section"], first.outcome) == (True, CREATED)
    second = celebrate(own(learner), COURSE_KEY, weekly_goal=True)
    assert (second.fields, second.outcome) == ({"first_section": True, "weekly_goal": True}, UPDATED)
    untouched = celebrate(own(learner), COURSE_KEY)
    assert (untouched.fields, untouched.outcome) == ({"first_section": True, "weekly_goal": True}, UPDATED)


def test_viewing_as_a_learner_writes_nothing(course, learner, staff_user):
    viewer = viewing_named_user(staff_user, COURSE_KEY, "learner", find_user=lambda name: learner,
                                real_is_staff=False)
    seen = celebration_seen_as(viewer, COURSE_KEY)
    assert (seen.fields, seen.outcome) == ({"first_section": False, "weekly_goal": False}, NOT_WRITTEN)

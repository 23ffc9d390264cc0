"""The mobile enrollment pipeline's rules, without HTTP (spec §5.2, §5.5, §5.6)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone
from types import SimpleNamespace

import pytest

from openedx_learner_apis.api import enroll, set_position, upsert_course
from openedx_learner_apis.applets.enrollments.selection import (
    EnrollmentStatuses,
    choose_primary,
    parse_status,
    select_enrollments,
    status_matches,
)

NOW = datetime(2024, 6, 1, tzinfo=dt_timezone.utc)
DAY = timedelta(days=1)


def course(start=None, end=None):
    return SimpleNamespace(start=start, end=end)


def test_parse_status():
    assert EnrollmentStatuses.values() == ["all", "completed", "expired", "in_progress"]
    assert parse_status("completed") is EnrollmentStatuses.COMPLETED
    assert parse_status("Completed") is None and parse_status(None) is None and parse_status("") is None


@pytest.mark.parametrize("start, end, expected", [
    (NOW - DAY, NOW + DAY, True), (None, None, True), (None, NOW + DAY, True), (NOW - DAY, None, True),
    (NOW + DAY, None, False), (NOW - 2 * DAY, NOW - DAY, False), (None, NOW - DAY, False),
])
def test_in_progress(start, end, expected):
    assert status_matches(EnrollmentStatuses.IN_PROGRESS, course(start, end), has_certificate=False,
                          now=NOW) is expected
    assert not status_matches(EnrollmentStatuses.IN_PROGRESS, course(start, end), has_certificate=True, now=NOW)


def test_expired_and_completed():
    ended = course(NOW - 3 * DAY, NOW - DAY)
    assert status_matches(EnrollmentStatuses.EXPIRED, ended, has_certificate=False, now=NOW)
    assert not status_matches(EnrollmentStatuses.EXPIRED, ended, has_certificate=True, now=NOW)
    assert not status_matches(EnrollmentStatuses.EXPIRED, course(), has_certificate=False, now=NOW)
    assert status_matches(EnrollmentStatuses.COMPLETED, course(NOW + DAY), has_certificate=True, now=NOW)
    assert not status_matches(EnrollmentStatuses.COMPLETED, ended, has_certificate=False, now=NOW)
    assert status_matches(EnrollmentStatuses.ALL, course(NOW + DAY), has_certificate=False, now=NOW)


def row(key, created):
    return SimpleNamespace(course_key=key, created=created)


def test_choose_primary():
    old, new = row("a", NOW - 5 * DAY), row("b", NOW - DAY)
    assert choose_primary([], {}) is None
    assert choose_primary([new, old], {}) is new
    assert choose_primary([new, old], {"a": NOW - 2 * DAY}) is new  # enrolled after that progress
    assert choose_primary([new, old], {"a": NOW}) is old
    assert choose_primary([new, old], {"a": new.created}) is old  # a tie goes to progress
    assert choose_primary([new, old], {"zzz": NOW}) is new  # progress outside the candidates is ignored
    assert choose_primary([new, old], {"a": NOW - DAY / 2, "b": NOW}) is new


@pytest.mark.django_db
def test_pipeline(learner):
    for index, (org, mobile) in enumerate([("edX", True), ("MITx", True), ("edX", False), ("edX", True)]):
        key = f"course-v1:{org}+C{index}+1"
        upsert_course(key, mobile_available=mobile)
        enroll(learner, key)
    keys = [row.course_key for row in select_enrollments(learner).rows]
    assert keys == ["course-v1:edX+C3+1", "course-v1:MITx+C1+1", "course-v1:edX+C0+1"]
    assert [row.course_key for row in select_enrollments(learner, org="EDX").rows] == [
        "course-v1:edX+C3+1", "course-v1:edX+C0+1"]
    assert [row.course_key for row in select_enrollments(learner, site_orgs="MITx").rows] == ["course-v1:MITx+C1+1"]
    selection = select_enrollments(learner, with_primary=True)
    assert selection.primary.course_key == "course-v1:edX+C3+1" and len(selection.rows) == 2
    set_position(learner, "block-v1:edX+C0+1+type@course+block@course", 1)
    assert select_enrollments(learner, with_primary=True).primary.course_key == "course-v1:edX+C0+1"
    assert select_enrollments(learner, with_primary=True, status=EnrollmentStatuses.ALL).primary is None
    loaded = selection.load(selection.rows)
    assert [str(enrollment.course.course_key) for enrollment in loaded.enrollments] == [
        "course-v1:MITx+C1+1", "course-v1:edX+C0+1"]

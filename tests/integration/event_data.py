"""Builders of openedx-events data classes, as an Open edX LMS would send them.

Import it after checking that openedx-events is installed (``services.require_module``).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from opaque_keys.edx.keys import CourseKey
from openedx_events.learning import data as events_data

COURSE = "course-v1:edX+Events+2026"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def at(seconds: int) -> datetime:
    """A point in time ``seconds`` after ``T0`` (events carry their time in the metadata)."""
    return T0 + timedelta(seconds=seconds)


def user_data(username: str = "learner", *, user_id: int = 1, is_active: bool = True):
    return events_data.UserData(id=user_id, is_active=is_active,
                                pii=events_data.UserPersonalData(username=username, email=f"{username}@example.com",
                                                                 name=username.title()))


def course_data(course_key: str = COURSE, display_name: str = "Events 101"):
    return events_data.CourseData(course_key=CourseKey.from_string(course_key), display_name=display_name,
                                  start=T0, end=T0 + timedelta(days=90))


def enrollment(username="learner", *, mode="audit", is_active=True, course_key=COURSE, user_id=1):
    return events_data.CourseEnrollmentData(user=user_data(username, user_id=user_id), course=course_data(course_key),
                                            mode=mode, is_active=is_active, creation_date=T0)


def certificate(username="learner", *, status="downloadable", grade="0.91", mode="verified", course_key=COURSE,
                previous_status=""):
    return events_data.CertificateData(user=user_data(username), course=course_data(course_key), mode=mode,
                                       grade=grade, download_url="https://lms.example.com/cert/abc",
                                       name="Learner Name", current_status=status, previous_status=previous_status)


def grade(user_id: int, *, percent=0.8, letter="B", passed_at=T0, course_key=COURSE):
    return events_data.PersistentCourseGradeData(user_id=user_id, course=course_data(course_key),
                                                 course_edited_timestamp=T0, course_version="v1",
                                                 grading_policy_hash="hash", percent_grade=percent,
                                                 letter_grade=letter, passed_timestamp=passed_at)


def passing_status(username="learner", *, is_passing=True, course_key=COURSE):
    return events_data.CoursePassingStatusData(is_passing=is_passing, course=course_data(course_key),
                                               user=user_data(username))

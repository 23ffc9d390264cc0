"""openedx-events sent in the same process (the app installed in an LMS) are mirrored into the applets."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from .services import require_module

require_module("openedx_events", "openedx_events", "openedx-events")

from openedx_events.learning import signals as events  # noqa: E402

from openedx_learner_apis import api  # noqa: E402
from openedx_learner_apis.applets.certificates.models import Certificate  # noqa: E402
from openedx_learner_apis.applets.enrollments.models import Enrollment  # noqa: E402
from openedx_learner_apis.applets.progress.models import PersistentCourseGrade  # noqa: E402
from openedx_learner_apis.signals import certificate_changed, enrollment_changed  # noqa: E402

from . import event_data as data  # noqa: E402

pytestmark = [pytest.mark.openedx_events, pytest.mark.django_db]


def send(signal, seconds: int, **event):
    """Send like the LMS does, but let a receiver's exception fail the test instead of being logged."""
    signal.send_event(send_robust=False, time=data.at(seconds), **event)


@pytest.fixture
def sent():
    """Our own signals sent while the test runs (on commit, so mirrored writes notify hosts too)."""
    calls = []

    def record(signal, **kwargs):
        calls.append((signal, kwargs))

    for signal in (enrollment_changed, certificate_changed):
        signal.connect(record, weak=False)
    yield calls
    for signal in (enrollment_changed, certificate_changed):
        signal.disconnect(record)


def enrollment_of(username="learner") -> Enrollment:
    return Enrollment.objects.select_related("course", "user").get(user__username=username)


class TestEnrollments:
    def test_created_makes_user_course_and_enrollment(self, django_capture_on_commit_callbacks, sent):
        with django_capture_on_commit_callbacks(execute=True):
            send(events.COURSE_ENROLLMENT_CREATED, 0, enrollment=data.enrollment(mode="verified"))
        enrollment = enrollment_of()
        assert (enrollment.mode, enrollment.is_active) == ("verified", True)
        assert enrollment.created == data.T0 and enrollment.modified == data.at(0)
        assert enrollment.course.display_name == "Events 101" and enrollment.course.start == data.T0
        user = enrollment.user
        assert (user.email, user.is_active, user.has_usable_password()) == ("learner@example.com", True, False)
        assert [kwargs["created"] for signal, kwargs in sent if signal is enrollment_changed] == [True]

    def test_an_existing_user_and_course_are_used(self, learner):
        api.upsert_course(data.COURSE, display_name="Kept")
        send(events.COURSE_ENROLLMENT_CREATED, 0, enrollment=data.enrollment())
        enrollment = enrollment_of()
        assert enrollment.user == learner
        assert enrollment.course.display_name == "Kept"
        assert get_user_model().objects.count() == 1

    def test_change_then_unenrollment(self):
        send(events.COURSE_ENROLLMENT_CREATED, 0, enrollment=data.enrollment())
        send(events.COURSE_ENROLLMENT_CHANGED, 10, enrollment=data.enrollment(mode="verified"))
        assert enrollment_of().mode == "verified"
        send(events.COURSE_UNENROLLMENT_COMPLETED, 20, enrollment=data.enrollment(mode="verified", is_active=False))
        enrollment = enrollment_of()
        assert (enrollment.mode, enrollment.is_active, enrollment.modified) == ("verified", False, data.at(20))

    def test_an_older_event_changes_nothing(self, django_capture_on_commit_callbacks, sent):
        send(events.COURSE_ENROLLMENT_CHANGED, 30, enrollment=data.enrollment(mode="verified"))
        with django_capture_on_commit_callbacks(execute=True):
            send(events.COURSE_ENROLLMENT_CHANGED, 10, enrollment=data.enrollment(mode="honor", is_active=False))
        enrollment = enrollment_of()
        assert (enrollment.mode, enrollment.is_active, enrollment.modified) == ("verified", True, data.at(30))
        assert sent == []

    def test_a_replayed_event_changes_nothing(self, django_capture_on_commit_callbacks, sent):
        send(events.COURSE_ENROLLMENT_CREATED, 0, enrollment=data.enrollment())
        with django_capture_on_commit_callbacks(execute=True):
            send(events.COURSE_ENROLLMENT_CREATED, 0, enrollment=data.enrollment())
        assert Enrollment.objects.count() == 1
        assert sent == []

    def test_mirroring_can_be_turned_off(self, settings):
        settings.OPENEDX_LEARNER_APIS = {"MIRROR_OPENEDX_EVENTS": False}
        send(events.COURSE_ENROLLMENT_CREATED, 0, enrollment=data.enrollment())
        assert not Enrollment.objects.exists()


class TestCertificates:
    def test_created_changed_revoked(self, django_capture_on_commit_callbacks, sent):
        with django_capture_on_commit_callbacks(execute=True):
            send(events.CERTIFICATE_CREATED, 0, certificate=data.certificate(status="generating"))
        send(events.CERTIFICATE_CHANGED, 10, certificate=data.certificate(status="downloadable", grade="0.93"))
        certificate = Certificate.objects.get()
        assert (certificate.status, certificate.grade, certificate.mode) == ("downloadable", "0.93", "verified")
        assert (certificate.name, certificate.download_url) == ("Learner Name", "https://lms.example.com/cert/abc")
        send(events.CERTIFICATE_REVOKED, 20, certificate=data.certificate(status="notpassing",
                                                                          previous_status="downloadable"))
        certificate.refresh_from_db()
        assert (certificate.status, certificate.modified_date) == ("notpassing", data.at(20))
        assert len([1 for signal, _ in sent if signal is certificate_changed]) == 1

    def test_a_revocation_never_leaves_a_passing_status(self):
        send(events.CERTIFICATE_REVOKED, 0, certificate=data.certificate(status="downloadable"))
        assert Certificate.objects.get().status == "unavailable"

    def test_older_and_unknown_events_are_ignored(self):
        send(events.CERTIFICATE_CHANGED, 10, certificate=data.certificate(status="downloadable"))
        send(events.CERTIFICATE_REVOKED, 5, certificate=data.certificate(status="notpassing"))
        send(events.CERTIFICATE_CHANGED, 20, certificate=data.certificate(status="no-such-status"))
        certificate = Certificate.objects.get()
        assert (certificate.status, certificate.modified_date) == ("downloadable", data.at(10))

    def test_a_long_grade_is_cut_to_the_column(self):
        send(events.CERTIFICATE_CREATED, 0, certificate=data.certificate(grade="0.876543"))
        assert Certificate.objects.get().grade == "0.876"


class TestGrades:
    def test_grade_summary_keeps_the_hosts_pass_time(self, learner):
        send(events.PERSISTENT_GRADE_SUMMARY_CHANGED, 0, grade=data.grade(learner.id, passed_at=data.at(-100)))
        grade = PersistentCourseGrade.objects.get(user=learner)
        assert (grade.percent_grade, grade.letter_grade, grade.passed_timestamp) == (0.8, "B", data.at(-100))

    def test_a_failing_summary_clears_the_pass(self, learner):
        send(events.PERSISTENT_GRADE_SUMMARY_CHANGED, 0, grade=data.grade(learner.id))
        send(events.PERSISTENT_GRADE_SUMMARY_CHANGED, 10, grade=data.grade(learner.id, percent=0.3, letter="",
                                                                           passed_at=None))
        grade = PersistentCourseGrade.objects.get(user=learner)
        assert (grade.percent_grade, grade.passed) == (0.3, False)

    def test_a_grade_for_an_unknown_user_id_is_ignored(self, learner):
        send(events.PERSISTENT_GRADE_SUMMARY_CHANGED, 0, grade=data.grade(learner.id + 1000))
        assert not PersistentCourseGrade.objects.exists()

    def test_passing_status_keeps_the_percent(self, learner):
        send(events.PERSISTENT_GRADE_SUMMARY_CHANGED, 0, grade=data.grade(learner.id, percent=0.7, passed_at=None,
                                                                          letter=""))
        send(events.COURSE_PASSING_STATUS_UPDATED, 10, course_passing_status=data.passing_status(is_passing=True))
        grade = PersistentCourseGrade.objects.get(user=learner)
        assert (grade.percent_grade, grade.passed_timestamp) == (0.7, data.at(10))
        send(events.COURSE_PASSING_STATUS_UPDATED, 15, course_passing_status=data.passing_status(is_passing=True))
        assert PersistentCourseGrade.objects.get(user=learner).passed_timestamp == data.at(10)
        send(events.COURSE_PASSING_STATUS_UPDATED, 20, course_passing_status=data.passing_status(is_passing=False))
        assert PersistentCourseGrade.objects.get(user=learner).passed is False

    def test_a_late_passing_status_loses_to_a_newer_summary(self, learner):
        send(events.PERSISTENT_GRADE_SUMMARY_CHANGED, 20, grade=data.grade(learner.id, percent=0.2, passed_at=None))
        send(events.COURSE_PASSING_STATUS_UPDATED, 10, course_passing_status=data.passing_status(is_passing=True))
        grade = PersistentCourseGrade.objects.get(user=learner)
        assert (grade.percent_grade, grade.passed) == (0.2, False)

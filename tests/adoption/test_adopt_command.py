"""``adopt_openedx_data`` from an LMS database of its own: counts, idempotency, resume, dry run, unmapped rows."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from openedx_learner_apis.applets.enrollments.models import Enrollment
from openedx_learner_apis.applets.learners.models import LearnerProfile
from openedx_learner_apis.management.adoption.models import AdoptionCheckpoint
from openedx_learner_apis.management.adoption.runner import Adoption

pytestmark = pytest.mark.django_db(databases=["default", "lms"])


def adopt(alias="lms", **options) -> str:
    out = io.StringIO()
    call_command("adopt_openedx_data", database=alias, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def reports(alias="lms", **options):
    return {report.table: report for report in Adoption(alias, **options).run()}


def test_a_first_run_creates_every_table_and_reports_counts(lms):
    first = reports(batch_size=50)
    assert first["auth_user"].created == len(lms["usernames"])
    assert first["student_courseenrollment"].created > 100
    for table in ("auth_userprofile", "user_api_userpreference", "course_overviews_courseoverview",
                  "course_modes_coursemode", "student_courseaccessrole", "certificates_generatedcertificate",
                  "grades_persistentcoursegrade", "completion_blockcompletion", "badges_badgeclass",
                  "badges_badgeassertion", "student_courseenrollmentcelebration", "student_usercelebration",
                  "course_goals_coursegoal", "courseware_lastseencoursewaretimezone"):
        assert first[table].created > 0, table
        assert not first[table].skipped, table


def test_a_second_run_changes_nothing(lms):
    reports(batch_size=50)
    second = reports(batch_size=50)
    assert {table: report.changes for table, report in second.items() if report.changes} == {}
    assert all(report.unchanged > 0 for report in second.values())


def test_unmapped_rows_are_reported_with_their_reason_instead_of_failing(lms):
    first = reports()
    enrollments = first["student_courseenrollment"]
    assert enrollments.unmapped == {"unknown user": 1, "unparseable course key": 1,
                                    "course not adopted or imported": 1}
    assert first["grades_persistentcoursegrade"].unmapped["unknown user"] == 2  # an enrollment and a grade of its own
    assert first["badges_badgeassertion"].unmapped["unknown user"] == 1
    assert first["user_api_userpreference"].ignored["a preference this app does not read"] > 0
    assert first["student_courseaccessrole"].ignored["a role the learner APIs do not read"] == 1
    text = adopt()
    assert "not mapped in student_courseenrollment: 1 x unparseable course key" in text
    assert "'not a course key'" in text


def test_a_dry_run_counts_and_writes_nothing(lms):
    text = adopt(dry_run=True)
    assert "dry run: nothing written" in text
    assert "student_courseenrollment: " in text and " 0 created" not in text.split("student_courseenrollment: ")[1][:40]
    assert not Enrollment.objects.exists()
    assert not LearnerProfile.objects.exists()
    assert not AdoptionCheckpoint.objects.exists()


def test_an_interrupted_run_resumes_where_it_stopped(lms):
    class Interrupted(Exception):
        pass

    def interrupt(table, number):
        if table == "student_courseenrollment" and number == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        call_command("adopt_openedx_data", database="lms", batch_size=40, batch_hook=interrupt,
                     stdout=io.StringIO(), stderr=io.StringIO())
    # Two batches of 40 committed; the third rolled back with its checkpoint.
    assert Enrollment.objects.count() == 80
    checkpoint = AdoptionCheckpoint.objects.get(table="student_courseenrollment")
    assert not checkpoint.finished and checkpoint.last_key
    assert AdoptionCheckpoint.objects.get(table="auth_user").finished

    resumed = reports(batch_size=40)
    assert resumed["auth_user"].skipped.startswith("finished by the interrupted run")
    assert resumed["student_courseenrollment"].created == resumed["student_courseenrollment"].read - 3
    assert not AdoptionCheckpoint.objects.exists()
    full = reports(batch_size=40)
    assert full["student_courseenrollment"].changes == 0
    assert Enrollment.objects.count() == full["student_courseenrollment"].unchanged


def test_since_limits_the_tables_that_date_their_changes(lms):
    import datetime

    later = reports(since=datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC))
    assert later["certificates_generatedcertificate"].read == 0
    assert later["completion_blockcompletion"].read == 0
    assert later["student_courseenrollment"].read > 0  # no modification column: read whole


def test_bad_options_are_command_errors(lms):
    with pytest.raises(CommandError, match="No database alias"):
        adopt(alias="nowhere")
    with pytest.raises(CommandError, match="batch-size"):
        adopt(batch_size=0)
    with pytest.raises(CommandError, match="not a date"):
        adopt(since="yesterday")

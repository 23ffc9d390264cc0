"""Inside the LMS: the LMS's tables are in this app's database and ``auth_user`` is shared, not copied."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from openedx_learner_apis.applets.enrollments.models import Enrollment
from openedx_learner_apis.applets.learners.models import LearnerProfile
from openedx_learner_apis.management.adoption.runner import Adoption, shares_user_table

from . import lms_data, lms_schema

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lms_tables_here():
    lms_schema.create_tables("default", with_users=False)
    try:
        yield lms_data.fill("default", learners=30, courses=2, case_twins=False)
    finally:
        lms_schema.drop_tables("default")


def test_the_shared_user_table_is_used_as_it_is(lms_tables_here):
    assert shares_user_table("default")
    users_before = get_user_model().objects.count()
    reports = {report.table: report for report in Adoption("default").run()}
    assert reports["auth_user"].skipped == "the LMS's auth_user is this app's user table"
    assert get_user_model().objects.count() == users_before
    ids = lms_tables_here["user_ids"]
    enrollment = Enrollment.objects.select_related("user").order_by("pk").first()
    assert ids[enrollment.user.username] == enrollment.user_id
    assert LearnerProfile.objects.count() == len(ids)
    assert reports["student_courseenrollment"].unmapped["unknown user"] == 1


def test_the_command_defaults_to_the_lms_database_it_runs_in(lms_tables_here):
    out = io.StringIO()
    call_command("adopt_openedx_data", stdout=out, stderr=io.StringIO())
    call_command("adopt_openedx_data", stdout=out, stderr=io.StringIO())
    first, second = out.getvalue().split("total:")[1:]
    assert " 0 changed" not in first.splitlines()[0]
    assert " 0 changed" in second.splitlines()[0]

"""``core.plain_sql.rows_for_keys``: a learner's rows in a list of courses are the ORM's ``__in`` rows, in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.applets.certificates.api import certificates_in, issue_certificate
from openedx_learner_apis.applets.certificates.models import Certificate
from openedx_learner_apis.applets.progress.assignments import course_completions
from openedx_learner_apis.applets.progress.models import BlockCompletion
from openedx_learner_apis.core.plain_sql import Select, rows_for_keys

pytestmark = pytest.mark.django_db

COURSES = [CourseKey.from_string(f"course-v1:edX+Keyed{index}+2024") for index in range(3)]
ROWS = Select(BlockCompletion, ("course_key", "block_key", "completion", "modified"), ("user", "course_key"))


def complete(user, course_key, block: str, completion: float = 1.0) -> None:
    BlockCompletion.objects.create(user=user, course_key=course_key, block_type="html", completion=completion,
                                   block_key=course_key.make_usage_key("html", block))


def test_rows_equal_the_orms_in_rows(learner, other_learner):
    for course_key in COURSES:
        complete(learner, course_key, "a")
        complete(learner, course_key, "b", 0.5)
    complete(other_learner, COURSES[0], "theirs")
    wanted = [COURSES[0], COURSES[2], COURSES[0]]
    rows = rows_for_keys(ROWS, (learner.pk,), wanted)
    expected = BlockCompletion.objects.filter(user=learner, course_key__in=wanted).values_list(
        "course_key", "block_key", "completion", "modified")
    assert sorted(rows, key=str) == sorted(expected, key=str) and len(rows) == 4
    assert isinstance(rows[0][0], CourseKey)


def test_one_query_whatever_the_number_of_keys(learner):
    keys = [CourseKey.from_string(f"course-v1:edX+Many{index}+1") for index in range(150)]
    complete(learner, keys[-1], "last")
    with CaptureQueriesContext(connection) as queries:
        assert len(rows_for_keys(ROWS, (learner.pk,), keys)) == 1
    assert len(queries) == 1
    with CaptureQueriesContext(connection) as queries:
        assert rows_for_keys(ROWS, (learner.pk,), []) == []
    assert len(queries) == 0


def test_a_keyed_read_does_not_order_or_limit():
    with pytest.raises(ValueError):
        rows_for_keys(Select(BlockCompletion, ("block_key",), ("user", "course_key"), ("modified",)), (1,), COURSES)


def test_certificates_in_are_the_orms_instances(learner, other_learner):
    issue_certificate(learner, COURSES[0], status="downloadable", mode="verified", grade="0.9",
                      download_url="/pdf")
    issue_certificate(learner, COURSES[1], status="notpassing", mode="audit")
    issue_certificate(other_learner, COURSES[0], status="downloadable", mode="audit")
    found = certificates_in(learner, COURSES)
    expected = {certificate.course_key: certificate
                for certificate in Certificate.objects.filter(user=learner, course_key__in=COURSES)}
    assert list(found) != [] and set(found) == set(expected)
    for course_key, certificate in found.items():
        fields = [field.attname for field in Certificate._meta.concrete_fields]
        assert [getattr(certificate, name) for name in fields] == [getattr(expected[course_key], name)
                                                                   for name in fields]
        assert not certificate._state.adding and certificate._state.db == "default"
    assert certificates_in(learner, []) == {}


def test_course_completions_order_by_modification(learner):
    complete(learner, COURSES[0], "first")
    complete(learner, COURSES[0], "second", 0.2)
    complete(learner, COURSES[1], "other")
    completed, last_changed = course_completions(learner, COURSES[:2])
    assert completed == {COURSES[0]: {COURSES[0].make_usage_key("html", "first")},
                         COURSES[1]: {COURSES[1].make_usage_key("html", "other")}}
    assert last_changed == {COURSES[0]: COURSES[0].make_usage_key("html", "second"),
                            COURSES[1]: COURSES[1].make_usage_key("html", "other")}

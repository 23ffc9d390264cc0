"""``features.mobile.listing``: the hand-written statements keep exactly the rows the ORM's filters keep.

The oracle is the listing as ORM filters (``Q`` objects, ``Exists``, ``iexact``, collations), the
way the selection was written before its reads became plain SQL; both run on the same data,
for every combination of filters, on whichever database the suite runs.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.db.models import Exists, F, OuterRef, Q

from openedx_learner_apis.api import enroll, grant_course_role, issue_certificate, upsert_course
from openedx_learner_apis.applets.certificates.models import Certificate
from openedx_learner_apis.applets.courses.roles import role_grants
from openedx_learner_apis.applets.enrollments.models import Enrollment
from openedx_learner_apis.core.keys import compared_exactly, spelled_exactly, spelled_exactly_in
from openedx_learner_apis.features.mobile.listing import EnrollmentStatuses, ListedEnrollments, ListingFilters
from openedx_learner_apis.features.mobile.selection import mobile_revealed

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 6, 1, tzinfo=dt_timezone.utc)
DAY = timedelta(days=1)
COURSES = [  # key, org, mobile, start, end, certificate
    ("course-v1:edX+A+1", "edX", True, NOW - DAY, NOW + DAY, False),
    ("course-v1:EDX+B+1", "EDX", False, None, NOW - DAY, True),
    ("course-v1:MITx+C+1", "MITx", False, NOW + DAY, None, False),
    ("course-v1:mitx+D+1", "mitx", True, None, None, True),
    ("course-v1:a_b+E+1", "a_b", False, NOW - 2 * DAY, NOW - DAY, False),
    ("course-v1:axb+F+1", "axb", True, NOW - DAY, None, False),
]


def orm_listing(user, *, site_orgs=(), org=None, status=None, now=NOW, grants=None):
    """The listing as the ORM writes it (the oracle)."""
    listed = Enrollment.objects.filter(user=user, is_active=True).annotate(listed_course_key=F("course__course_key"))
    if site_orgs:
        listed = listed.alias(org_exact=compared_exactly("course__org")).filter(org_exact__in=site_orgs)
    if org:
        listed = listed.filter(course__org__iexact=org)
    if status not in (None, EnrollmentStatuses.ALL):
        certified = Exists(Certificate.objects.filter(spelled_exactly("course_key", OuterRef("course__course_key")),
                                                      user=user))
        if status is EnrollmentStatuses.COMPLETED:
            listed = listed.filter(certified)
        elif status is EnrollmentStatuses.EXPIRED:
            listed = listed.filter(~Q(certified) & Q(course__end__lt=now))
        else:
            listed = listed.filter(~Q(certified) & (Q(course__start__isnull=True) | Q(course__start__lte=now))
                                   & (Q(course__end__isnull=True) | Q(course__end__gte=now)))
    if grants is not None:
        courses, orgs = mobile_revealed(grants)
        condition = Q(course__mobile_available=True)
        if courses:
            condition |= Q(spelled_exactly_in("course__course_key", courses))
        if orgs:
            condition |= Q(course__org__in=orgs)
        listed = listed.filter(condition)
    return list(listed.order_by("-created", "-id").values_list("id", flat=True))


@pytest.fixture
def enrolled(learner, other_learner):
    for index, (key, org, mobile, start, end, certified) in enumerate(COURSES):
        upsert_course(key, org=org, mobile_available=mobile, start=start, end=end)
        enrollment = enroll(learner, key)
        Enrollment.objects.filter(id=enrollment.id).update(created=NOW - index * DAY)
        enroll(other_learner, key)
        if certified:
            issue_certificate(learner, key, status="downloadable", mode="audit")
    enroll(learner, "course-v1:edX+A+1")
    Enrollment.objects.filter(user=learner, course__course_key="course-v1:axb+F+1").update(is_active=False)
    grant_course_role(learner, "course-v1:EDX+B+1", "beta_testers")
    grant_course_role(learner, None, "staff", org="mitx")
    grant_course_role(learner, "course-v1:a_b+E+1", "data_researcher")  # not a role that shows a course
    return learner


@pytest.mark.parametrize("site_orgs, org", [((), None), (("edX", "MITx"), None), (("mitx",), None), ((), "EDX"),
                                            ((), "mitX"), ((), "a_b"), ((), "a%"), (("EDX",), "edx")])
def test_rows_are_the_orms_for_every_filter(enrolled, site_orgs, org):
    grants = role_grants(enrolled)
    for status, mobile in itertools.product([None, *EnrollmentStatuses], [False, True]):
        filters = ListingFilters(enrolled.pk, site_orgs=site_orgs, org=org, status=status, now=NOW,
                                 mobile=mobile_revealed(grants) if mobile else None)
        listed = ListedEnrollments(filters)
        expected = orm_listing(enrolled, site_orgs=site_orgs, org=org, status=status,
                               grants=grants if mobile else None)
        assert [row.id for row in listed.rows()] == expected, (status, mobile)
        assert listed.count() == len(expected)
        page, total = listed.page_with_total(1, 3)
        assert [row.id for row in page] == expected[1:3]
        assert total == (len(expected) if expected[1:3] else None)
        if expected:
            assert [row.id for row in listed.excluding(expected[0]).rows()] == expected[1:]


def test_rows_are_full_enrollments_with_their_course_key(enrolled):
    listed = ListedEnrollments(ListingFilters(enrolled.pk))
    orm = {row.id: row for row in Enrollment.objects.filter(user=enrolled, is_active=True)
           .annotate(listed_course_key=F("course__course_key"))}
    for row in listed.rows():
        expected = orm[row.id]
        assert (row.user_id, row.course_id, row.mode, row.is_active, row.created, row.modified,
                row.listed_course_key) == (expected.user_id, expected.course_id, expected.mode, expected.is_active,
                                           expected.created, expected.modified, expected.listed_course_key)
        assert row._state.adding is False and row._state.db == expected._state.db


def test_candidates_are_the_newest_and_those_in_the_courses(enrolled):
    listed = ListedEnrollments(ListingFilters(enrolled.pk))
    keys = [row.listed_course_key for row in listed.rows()]
    assert {candidate.listed_course_key for candidate in listed.candidates([])} == {keys[0]}
    assert {candidate.listed_course_key for candidate in listed.candidates(keys[-1:])} == {keys[0], keys[-1]}
    rows, total, found = listed.page_with_candidates(0, 2, keys[-1:])
    assert [row.listed_course_key for row in rows] == keys[:2] and total == len(keys)
    assert {candidate.listed_course_key for candidate in found} == {keys[0], keys[-1]}
    chosen = found[0].enrollment()
    assert isinstance(chosen, Enrollment) and chosen.id == found[0].id

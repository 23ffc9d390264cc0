"""The mobile enrollment pipeline's rules, without HTTP (docs/mobile.rst, "course_enrollments")."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from edx_django_utils.cache import RequestCache

from openedx_learner_apis.api import (
    enroll,
    grant_course_role,
    issue_certificate,
    record_completion,
    set_position,
    upsert_course,
)
from openedx_learner_apis.applets.enrollments.models import Enrollment
from openedx_learner_apis.applets.mobile.models import IgnoreMobileAvailableFlagConfig
from openedx_learner_apis.applets.progress.models import BlockCompletion, CoursewarePosition
from openedx_learner_apis.features.mobile import selection as selection_module
from openedx_learner_apis.features.mobile.selection import (
    EnrollmentStatuses,
    parse_status,
    select_enrollments,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 6, 1, tzinfo=dt_timezone.utc)
DAY = timedelta(days=1)


def keys_of(enrollments) -> list[str]:
    return [str(enrollment.course.course_key) for enrollment in enrollments]


def add(learner, key, *, created=None, **course_fields):
    upsert_course(key, **{"mobile_available": True, **course_fields})
    enrollment = enroll(learner, key)
    if created is not None:
        Enrollment.objects.filter(id=enrollment.id).update(created=created)
    return key


def test_parse_status():
    assert EnrollmentStatuses.values() == ["all", "completed", "expired", "in_progress"]
    assert parse_status("completed") is EnrollmentStatuses.COMPLETED
    assert parse_status("Completed") is None and parse_status(None) is None and parse_status("") is None


def test_pipeline(learner):
    for index, (org, mobile) in enumerate([("edX", True), ("MITx", True), ("edX", False), ("edX", True)]):
        add(learner, f"course-v1:{org}+C{index}+1", created=NOW - (10 - index) * DAY, mobile_available=mobile)
    assert keys_of(select_enrollments(learner).enrollments) == [
        "course-v1:edX+C3+1", "course-v1:MITx+C1+1", "course-v1:edX+C0+1"]
    assert keys_of(select_enrollments(learner, org="EDX").enrollments) == ["course-v1:edX+C3+1", "course-v1:edX+C0+1"]
    assert keys_of(select_enrollments(learner, site_orgs="MITx").enrollments) == ["course-v1:MITx+C1+1"]
    assert keys_of(select_enrollments(learner, site_orgs=["mitx"]).enrollments) == []  # exact membership
    selection = select_enrollments(learner, with_primary=True)
    assert str(selection.primary.course_key) == "course-v1:edX+C3+1"
    assert keys_of(selection.enrollments) == ["course-v1:MITx+C1+1", "course-v1:edX+C0+1"]
    set_position(learner, "block-v1:edX+C0+1+type@course+block@course", 1)
    assert str(select_enrollments(learner, with_primary=True).primary.course_key) == "course-v1:edX+C0+1"
    assert select_enrollments(learner, with_primary=True, status=EnrollmentStatuses.ALL).primary is None
    loaded = selection.load(selection.enrollments)
    assert keys_of(loaded.enrollments) == ["course-v1:MITx+C1+1", "course-v1:edX+C0+1"]


def test_inactive_enrollments_are_not_listed(learner):
    add(learner, "course-v1:edX+Gone+1")
    enroll(learner, "course-v1:edX+Gone+1", is_active=False)
    assert keys_of(select_enrollments(learner).enrollments) == []


@pytest.mark.parametrize("start, end, listed", [
    (NOW - DAY, NOW + DAY, True), (None, None, True), (None, NOW + DAY, True), (NOW - DAY, None, True),
    (NOW + DAY, None, False), (NOW - 2 * DAY, NOW - DAY, False), (None, NOW - DAY, False),
])
def test_in_progress(learner, start, end, listed):
    key = add(learner, "course-v1:edX+P+1", start=start, end=end)
    found = keys_of(select_enrollments(learner, status=EnrollmentStatuses.IN_PROGRESS, now=NOW).enrollments)
    assert found == ([key] if listed else [])
    issue_certificate(learner, key, status="notpassing", mode="audit")  # any certificate means completed
    assert keys_of(select_enrollments(learner, status=EnrollmentStatuses.IN_PROGRESS, now=NOW).enrollments) == []


def test_expired_completed_and_all(learner):
    ended = add(learner, "course-v1:edX+Ended+1", start=NOW - 3 * DAY, end=NOW - DAY, created=NOW - 3 * DAY)
    certified_ended = add(learner, "course-v1:edX+Cert+1", start=NOW - 3 * DAY, end=NOW - DAY,
                          created=NOW - 2 * DAY)
    future = add(learner, "course-v1:edX+Future+1", start=NOW + DAY, created=NOW - DAY)
    issue_certificate(learner, certified_ended, status="downloadable", mode="audit")

    def listed(status):
        return keys_of(select_enrollments(learner, status=status, now=NOW).enrollments)

    assert listed(EnrollmentStatuses.EXPIRED) == [ended]
    assert listed(EnrollmentStatuses.COMPLETED) == [certified_ended]
    assert listed(EnrollmentStatuses.ALL) == [future, certified_ended, ended]


def test_roles_and_switch_reveal_unflagged_courses(learner, make_user):
    hidden = add(learner, "course-v1:edX+Hidden+1", mobile_available=False, created=NOW - 3 * DAY)
    beta = add(learner, "course-v1:edX+Beta+1", mobile_available=False, created=NOW - 2 * DAY)
    org_wide = add(learner, "course-v1:MITx+Org+1", mobile_available=False, created=NOW - DAY)
    grant_course_role(learner, beta, "beta_testers")
    grant_course_role(learner, None, "staff", org="MITx")
    assert keys_of(select_enrollments(learner).enrollments) == [org_wide, beta]
    learner.is_staff = True
    assert keys_of(select_enrollments(learner).enrollments) == [org_wide, beta, hidden]
    learner.is_staff = False
    IgnoreMobileAvailableFlagConfig.objects.create(enabled=True)
    assert keys_of(select_enrollments(learner).enrollments) == [org_wide, beta, hidden]


def test_primary_rules(learner):
    old = add(learner, "course-v1:edX+Old+1", created=NOW - 5 * DAY)
    new = add(learner, "course-v1:edX+New+1", created=NOW - DAY)
    add(learner, "course-v1:edX+Hidden+1", created=NOW - 6 * DAY, mobile_available=False)

    def primary() -> str:
        return str(select_enrollments(learner, with_primary=True, now=NOW).primary.course.course_key)

    def progress(model, key, when):
        block = f"block-v1:{key[len('course-v1:'):]}+type@course+block@course"
        if model is CoursewarePosition:
            set_position(learner, block, 1)
        else:
            record_completion(learner, block.replace("type@course+block@course", "type@problem+block@p"))
        model.objects.filter(user=learner, course_key=key).update(modified=when)

    assert primary() == new
    progress(CoursewarePosition, old, NOW - 2 * DAY)  # before the newest enrollment: ignored
    assert primary() == new
    progress(BlockCompletion, old, NOW - DAY)  # a tie goes to progress
    assert primary() == old
    progress(CoursewarePosition, "course-v1:edX+Hidden+1", NOW)  # progress outside the listed courses
    assert primary() == old
    progress(CoursewarePosition, new, NOW - DAY / 2)
    assert primary() == new


def test_primary_found_beyond_the_first_progress_batch(learner, monkeypatch):
    monkeypatch.setattr(selection_module, "PROGRESS_BATCH", 2)
    listed = add(learner, "course-v1:edX+Listed+1", created=NOW - 5 * DAY)
    add(learner, "course-v1:edX+New+1", created=NOW - 2 * DAY)
    set_position(learner, "block-v1:edX+Listed+1+type@course+block@course", 1)
    CoursewarePosition.objects.filter(user=learner).update(modified=NOW - DAY)
    for index in range(5):  # newer progress in courses the apps do not list
        hidden = add(learner, f"course-v1:edX+H{index}+1", created=NOW - 9 * DAY, mobile_available=False)
        record_completion(learner, f"block-v1:edX+H{index}+1+type@problem+block@p")
        BlockCompletion.objects.filter(user=learner, course_key=hidden).update(modified=NOW - DAY / (index + 2))
    assert str(select_enrollments(learner, with_primary=True, now=NOW).primary.course.course_key) == listed


def count_queries(learner, **options) -> int:
    cache.clear()  # both sizes read the configuration tables from the database
    RequestCache.clear_all_namespaces()  # config_models' first tier, as at the start of a request
    with CaptureQueriesContext(connection) as queries:
        selection = select_enrollments(learner, with_primary=True, now=NOW, **options)
        selection.load([*selection.enrollments[:5], *filter(None, [selection.primary])])
    return len(queries)


def enroll_many(learner, count: int):
    """``count`` enrollments, newest first by index, with progress in each: the newest in the oldest course."""
    for index in range(count):
        add(learner, f"course-v1:edX+S{index}+1", created=NOW - index * DAY / 10)
        set_position(learner, f"block-v1:edX+S{index}+1+type@course+block@course", 1)


@pytest.mark.parametrize("options", [{}, {"status": EnrollmentStatuses.IN_PROGRESS}, {"org": "edx"}])
def test_constant_queries_and_page_in_sql(make_user, options):
    small, large = make_user("small"), make_user("large")
    enroll_many(small, 10)
    enroll_many(large, 200)
    assert count_queries(small, **options) == count_queries(large, **options)
    with CaptureQueriesContext(connection) as queries:
        list(select_enrollments(large, with_primary=True, now=NOW, **options).enrollments[:5])
    page = queries.captured_queries[-1]["sql"]
    assert "LIMIT 5" in page.upper()


@pytest.mark.parametrize("count", [0, 1, 2, 7])
@pytest.mark.parametrize("primary_index", [0, 1, 3, 6])
def test_pages_read_with_the_primary_equal_the_listing_without_it(learner, count, primary_index):
    """Whatever the page and wherever the primary falls, a page read together with the primary's
    candidates (one row past its end) is the page of the listing without the primary."""
    from django.core.paginator import EmptyPage

    from openedx_learner_apis.core.paginator import OneQueryPaginator

    keys = [add(learner, f"course-v1:edX+Pg{index}+1", created=NOW - index * DAY) for index in range(count)]
    primary_index = min(primary_index, max(count - 1, 0))
    if count:
        set_position(learner, f"block-v1:edX+Pg{primary_index}+1+type@course+block@course", 1)
    rest = [key for index, key in enumerate(keys) if index != primary_index]
    for size in (1, 2, 3, 8):
        for number in range(1, count + 2):
            selection = select_enrollments(learner, with_primary=True, now=NOW)
            paginator = OneQueryPaginator(selection.enrollments, size)
            with CaptureQueriesContext(connection) as queries:
                try:
                    page = list(paginator.page(number).object_list)
                except EmptyPage:
                    page = None
            expected = rest[(number - 1) * size:number * size]
            if expected or number == 1:
                assert page is not None and keys_of(page) == expected, (size, number)
                assert paginator.count == len(rest)
                assert len(queries) == 1 if expected else len(queries) <= 2  # an empty page may need its count
            else:
                assert page is None, (size, number)
            primary = selection.primary
            assert (str(primary.course.course_key) if primary else None) == (keys[primary_index] if keys else None)


def test_the_listing_without_the_primary_reads_as_a_sequence(learner):
    keys = [add(learner, f"course-v1:edX+Sq{index}+1", created=NOW - index * DAY) for index in range(4)]
    set_position(learner, "block-v1:edX+Sq2+1+type@course+block@course", 1)
    selection = select_enrollments(learner, with_primary=True, now=NOW)
    rest = [keys[0], keys[1], keys[3]]
    assert keys_of(selection.enrollments[1:]) == rest[1:] and keys_of([selection.enrollments[2]]) == rest[2:]
    assert selection.enrollments.count() == len(selection.enrollments) == 3
    assert keys_of(selection.enrollments) == rest and str(selection.primary.course.course_key) == keys[2]
    with pytest.raises(IndexError):
        selection.enrollments[3]  # noqa: B018


def test_org_compares_as_the_orms_iexact_wildcards_included(learner, django_assert_num_queries):
    for org in ("a_b", "axb", "c%d", "cxd", "e\\f"):
        add(learner, f"course-v1:{org.replace('%', 'p').replace(chr(92), 'bs')}+O+1", org=org)

    def orgs(value):
        listed = select_enrollments(learner, org=value).enrollments
        return sorted(enrollment.course.org for enrollment in listed)

    assert orgs("A_B") == ["a_b"] and orgs("C%D") == ["c%d"] and orgs("E\\F") == ["e\\f"]
    assert orgs("a%") == [] and orgs("_xb") == []
    selection = select_enrollments(learner, org="a\x00b", with_primary=True)
    with django_assert_num_queries(0):  # no org holds a NUL: nothing is read
        assert list(selection.enrollments) == [] and selection.primary is None

"""``core.plain_sql``: the rows of a plain SELECT are the ORM's rows, converted the same way, on every database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.applets.engagement.models import LastSeenCoursewareTimezone
from openedx_learner_apis.applets.learners.models import UserPreference
from openedx_learner_apis.applets.progress.course_status import recent_progress
from openedx_learner_apis.applets.progress.models import BlockCompletion
from openedx_learner_apis.core.plain_sql import Select, select_many, select_rows, union_all_rows
from openedx_learner_apis.features.mobile.timezone import user_timezone

COURSE = CourseKey.from_string("course-v1:edX+Plain+2024")
OTHER = CourseKey.from_string("course-v1:edX+Other+2024")


def complete(user, course_key, block: str, minutes_ago: int) -> BlockCompletion:
    row = BlockCompletion.objects.create(user=user, course_key=course_key, block_type="html", completion=1.0,
                                         block_key=course_key.make_usage_key("html", block))
    BlockCompletion.objects.filter(pk=row.pk).update(modified=timezone.now() - timedelta(minutes=minutes_ago))
    return row


@pytest.mark.django_db
def test_rows_equal_the_orms_values_list(learner, other_learner):
    for index, minutes in enumerate([5, 1, 30]):
        complete(learner, COURSE if index != 1 else OTHER, f"b{index}", minutes)
    complete(other_learner, COURSE, "theirs", 0)
    select = Select(BlockCompletion, ("course_key", "block_key", "modified", "completion"), ("user",),
                    ("-modified",), limit=2)
    rows = select_rows(select, learner.pk)
    expected = list(BlockCompletion.objects.filter(user=learner).order_by("-modified")
                    .values_list("course_key", "block_key", "modified", "completion")[:2])
    assert rows == expected
    assert isinstance(rows[0][0], CourseKey) and timezone.is_aware(rows[0][2])


@pytest.mark.django_db
def test_a_user_object_and_its_pk_select_the_same_rows(learner):
    complete(learner, COURSE, "b", 1)
    select = Select(BlockCompletion, ("block_key",), ("user",))
    assert select_rows(select, learner) == select_rows(select, learner.pk) != []


@pytest.mark.django_db
def test_parsed_keys_are_shared_and_equal(learner):
    complete(learner, COURSE, "one", 2)
    complete(learner, COURSE, "two", 1)
    (first,), (second,) = select_rows(Select(BlockCompletion, ("course_key",), ("user",)), learner.pk)
    assert first == second == COURSE and first is second


@pytest.mark.django_db
def test_union_all_tags_each_parts_rows(learner, other_learner):
    UserPreference.objects.create(user=learner, key="time_zone", value="Asia/Tokyo")
    UserPreference.objects.create(user=learner, key="pref-lang", value="fr")
    LastSeenCoursewareTimezone.objects.create(user=other_learner, last_seen_courseware_timezone="Europe/Paris")
    preference = Select(UserPreference, ("value",), ("user", "key"), tag=0)
    last_seen = Select(LastSeenCoursewareTimezone, ("last_seen_courseware_timezone",), ("user",), tag=1)
    rows = union_all_rows((preference, (learner.pk, "time_zone")), (last_seen, (learner.pk,)))
    assert rows == [(0, "Asia/Tokyo")]
    rows = union_all_rows((preference, (other_learner.pk, "time_zone")), (last_seen, (other_learner.pk,)))
    assert rows == [(1, "Europe/Paris")]


def test_union_all_refuses_ordered_or_limited_parts():
    with pytest.raises(ValueError, match="may not order or limit"):
        union_all_rows((Select(BlockCompletion, ("course_key",), ("user",), limit=1), (1,)))


@pytest.mark.django_db
def test_user_timezone_reads_both_sources_in_one_query(learner, django_assert_num_queries):
    LastSeenCoursewareTimezone.objects.create(user=learner, last_seen_courseware_timezone="Europe/Paris")
    with django_assert_num_queries(1):
        assert str(user_timezone(learner)) == "Europe/Paris"
    UserPreference.objects.create(user=learner, key="time_zone", value="Asia/Tokyo")
    assert str(user_timezone(learner)) == "Asia/Tokyo"


@pytest.mark.django_db
def test_recent_progress_merges_both_tables_newest_first(learner, django_assert_num_queries):
    complete(learner, COURSE, "old", 30)
    complete(learner, OTHER, "new", 1)
    with django_assert_num_queries(1):  # both tables in one statement (select_many)
        rows = recent_progress(learner, limit=5)
    assert [course_key for course_key, _ in rows] == [OTHER, COURSE]
    assert rows[0][1] > rows[1][1]


@pytest.mark.django_db
def test_role_grants_read_in_plain_sql_equal_the_orms(learner, django_assert_num_queries):
    from openedx_learner_apis.applets.courses.models import CourseAccessRole
    from openedx_learner_apis.applets.courses.roles import role_grants

    CourseAccessRole.objects.create(user=learner, course_key=COURSE, org="edX", role="beta_testers")
    CourseAccessRole.objects.create(user=learner, org="edX", role="staff")
    with django_assert_num_queries(1):
        grants = role_grants(learner)
    assert sorted(grants, key=str) == sorted(
        CourseAccessRole.objects.filter(user=learner).values_list("course_key", "org", "role"), key=str)
    assert (None, "edX", "staff") in grants and (COURSE, "edX", "beta_testers") in grants


@pytest.mark.django_db
def test_select_many_reads_each_parts_rows_in_one_statement(learner, other_learner, django_assert_num_queries):
    from openedx_learner_apis.applets.courses.models import CourseAccessRole

    for index, minutes in enumerate([5, 1, 30, 2]):
        complete(learner, COURSE if index % 2 else OTHER, f"b{index}", minutes)
    complete(other_learner, COURSE, "theirs", 0)
    CourseAccessRole.objects.create(user=learner, course_key=COURSE, org="edX", role="beta_testers")
    roles = Select(CourseAccessRole, ("course_key", "org", "role"), ("user",))
    newest = Select(BlockCompletion, ("block_key", "modified"), ("user",), ("-modified",), limit=3)
    oldest = Select(BlockCompletion, ("modified", "course_key"), ("user",), ("modified",), limit=1)
    with django_assert_num_queries(1):
        found = select_many((roles, (learner.pk,)), (newest, (learner,)), (oldest, (learner.pk,)))
    ordered = BlockCompletion.objects.filter(user=learner).order_by("-modified")
    assert found == [
        list(CourseAccessRole.objects.filter(user=learner).values_list("course_key", "org", "role")),
        list(ordered.values_list("block_key", "modified")[:3]),
        list(ordered.reverse().values_list("modified", "course_key")[:1]),
    ]
    assert select_many((roles, (other_learner.pk,)), (newest, (other_learner.pk,)))[0] == []


def test_select_many_refuses_to_order_by_an_unselected_column():
    with pytest.raises(ValueError, match="columns it orders by"):
        select_many((Select(BlockCompletion, ("course_key",), ("user",), ("-modified",)), (1,)))

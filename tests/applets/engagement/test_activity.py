"""Goal activity and the time zones it is counted in (docs/courseware.rst)."""

from __future__ import annotations

from datetime import date, datetime, timezone as dt_timezone

import pytest
from django.core.cache import cache

from openedx_learner_apis.applets.engagement.activity import count_activity_days, record_user_activity
from openedx_learner_apis.applets.engagement.models import LastSeenCoursewareTimezone, UserActivity
from openedx_learner_apis.applets.engagement.timezones import (
    first_zone,
    remember_courseware_timezone,
    seconds_until_local_midnight,
    start_of_week,
    to_zone,
)

pytestmark = pytest.mark.django_db
COURSE = "course-v1:edX+toy+run"


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def test_one_row_per_day(learner, django_assert_num_queries):
    assert record_user_activity(learner, COURSE, date(2026, 3, 2), cache_seconds=60) is True
    with django_assert_num_queries(0):
        assert record_user_activity(learner, COURSE, date(2026, 3, 2), cache_seconds=60) is False
    cache.clear()
    assert record_user_activity(learner, COURSE, date(2026, 3, 2), cache_seconds=60) is False
    assert UserActivity.objects.count() == 1


def test_count_since_monday(learner):
    for day in (1, 2, 3, 4):  # Sunday 1 March, then Monday to Wednesday
        record_user_activity(learner, COURSE, date(2026, 3, day), cache_seconds=60)
    assert start_of_week(date(2026, 3, 4)) == date(2026, 3, 2)
    assert count_activity_days(learner, COURSE, start_of_week(date(2026, 3, 4))) == 3


def test_zones():
    assert to_zone("") is None and to_zone(None) is None and to_zone("../etc/passwd") is None
    assert first_zone(None, "Europe/Paris").key == "Europe/Paris"
    assert seconds_until_local_midnight(datetime(2026, 3, 2, 23, 0, tzinfo=dt_timezone.utc), dt_timezone.utc) == 3600


def test_remember_courseware_timezone(learner, django_assert_num_queries):
    assert remember_courseware_timezone(learner, "Nope/Nope") is False
    assert remember_courseware_timezone(learner, "Europe/Paris") is True
    with django_assert_num_queries(0):
        assert remember_courseware_timezone(learner, "Asia/Tokyo") is False
    assert LastSeenCoursewareTimezone.objects.get(user=learner).last_seen_courseware_timezone == "Europe/Paris"

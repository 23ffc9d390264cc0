"""Streak rules (docs/courseware.rst, "Celebrations and streaks"), including learners who change time zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone as dt_timezone

import pytest

from openedx_learner_apis.applets.engagement.models import UserCelebration
from openedx_learner_apis.applets.engagement.streaks import next_streak, perform_streak_update
from openedx_learner_apis.applets.engagement.timezones import first_zone, local_date

DAY1 = date(2026, 3, 2)


def visits(*days):
    last, length, longest, celebrated = None, 0, 0, []
    for day in days:
        update = next_streak(last, length, longest, day)
        last, length, longest = update.last_day_of_streak, update.streak_length, update.longest_ever_streak
        celebrated.append(update.length_to_celebrate)
    return length, longest, celebrated


def test_spec_example():
    days = [DAY1 + timedelta(days=offset) for offset in (0, 1, 2, 3, 5)]
    length, longest, celebrated = visits(*days)
    assert celebrated == [None, None, 3, None, None]
    assert (length, longest) == (1, 4)


def test_same_day_changes_nothing():
    update = next_streak(DAY1, 2, 5, DAY1)
    assert (update.changed, update.streak_length, update.length_to_celebrate) == (False, 2, None)


def test_travelling_west_does_not_count_a_day_twice():
    update = next_streak(DAY1, 2, 2, DAY1 - timedelta(days=1))
    assert update.changed is False and update.last_day_of_streak == DAY1


def test_local_day_depends_on_the_time_zone():
    moment = datetime(2026, 3, 2, 23, 30, tzinfo=dt_timezone.utc)
    assert local_date(moment, first_zone("Asia/Karachi")) == date(2026, 3, 3)
    assert local_date(moment, first_zone("America/New_York")) == date(2026, 3, 2)
    assert local_date(moment, first_zone("Bogus/Zone", None)) == date(2026, 3, 2)


def test_two_visits_an_hour_apart_across_local_midnight_grow_the_streak():
    zone = first_zone("Asia/Karachi")  # UTC+5: 18:30 UTC is local midnight
    before = local_date(datetime(2026, 3, 2, 18, 0, tzinfo=dt_timezone.utc), zone)
    after = local_date(datetime(2026, 3, 2, 19, 0, tzinfo=dt_timezone.utc), zone)
    assert next_streak(before, 1, 1, after).streak_length == 2


@pytest.mark.django_db
def test_perform_streak_update_writes_once_a_day(learner, django_assert_num_queries):
    assert perform_streak_update(learner, DAY1).streak_length == 1
    perform_streak_update(learner, DAY1 + timedelta(days=1))
    third = perform_streak_update(learner, DAY1 + timedelta(days=2))
    assert third.length_to_celebrate == 3
    row = UserCelebration.objects.get(user=learner)
    modified = row.modified
    assert perform_streak_update(learner, DAY1 + timedelta(days=2)).changed is False
    row.refresh_from_db()
    assert (row.streak_length, row.longest_ever_streak, row.modified) == (3, 3, modified)

"""Day streaks across courses (docs/courseware.rst, "Celebrations and streaks").

A streak grows by one on each new local day the learner opens a course, survives a day
with no visit only if it is the very next day, and is celebrated at 3 days. The day is the
learner's own (account time zone, else browser time zone, else UTC), so two visits five
minutes apart around midnight UTC can be the same day for one learner and two days for
another.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from .models import UserCelebration

STREAK_LENGTHS_TO_CELEBRATE = (3,)
STREAK_BREAK_LENGTH = timedelta(days=1)


@dataclass(frozen=True)
class StreakUpdate:
    """What a visit on ``last_day_of_streak`` makes of a streak."""

    last_day_of_streak: date
    streak_length: int
    longest_ever_streak: int
    length_to_celebrate: int | None
    changed: bool


def next_streak(last_day: date | None, length: int, longest: int, today: date) -> StreakUpdate:
    """The streak after a visit ``today`` (pure: no database, no clock)."""
    if last_day is not None and last_day >= today:
        # The same day, or a learner who flew west and is back on a day already counted.
        return StreakUpdate(last_day, length, longest, None, changed=False)
    if last_day is None or last_day + STREAK_BREAK_LENGTH < today:
        length = 1
    else:
        length += 1
    celebrate = length if length in STREAK_LENGTHS_TO_CELEBRATE else None
    return StreakUpdate(today, length, max(longest, length), celebrate, changed=True)


def perform_streak_update(user, today: date) -> StreakUpdate:
    """Apply a visit on ``today`` to ``user``'s streak; a second visit the same day writes nothing.

    The row is locked while it is read and written, so two concurrent first visits of the
    day count once.
    """
    with transaction.atomic():
        row, _ = UserCelebration.objects.select_for_update().get_or_create(user=user)
        update = next_streak(row.last_day_of_streak, row.streak_length, row.longest_ever_streak, today)
        if update.changed:
            row.last_day_of_streak = update.last_day_of_streak
            row.streak_length = update.streak_length
            row.longest_ever_streak = update.longest_ever_streak
            row.save(update_fields=["last_day_of_streak", "streak_length", "longest_ever_streak", "modified"])
    return update

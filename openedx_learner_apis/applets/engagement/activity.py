"""Days on which a learner visited a course, for weekly goals (docs/courseware.rst)."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache

from .models import UserActivity


def activity_cache_key(user_id: int, course_key, day: date) -> str:
    return f"openedx_learner_apis:goals_user_activity:{user_id}:{course_key}:{day.isoformat()}"


def record_user_activity(user, course_key, day: date, *, cache_seconds: int) -> bool:
    """Note that ``user`` visited ``course_key`` on their local ``day``; ``True`` if a row was created.

    One row per learner, course and day whatever the number of visits; the cache (valid until
    the learner's midnight) spares the database the repeated visits of a day.
    """
    key = activity_cache_key(user.pk, course_key, day)
    if cache.get(key):
        return False
    _, created = UserActivity.objects.get_or_create(user=user, course_key=course_key, date=day)
    cache.set(key, True, cache_seconds)
    return created


def count_activity_days(user, course_key, since: date) -> int:
    """Days on or after ``since`` on which ``user`` visited the course."""
    return UserActivity.objects.filter(user=user, course_key=course_key, date__gte=since).count()

"""Public functions of the engagement applet: goals."""

from __future__ import annotations

from ...core.keys import as_course_key
from ...core.users import as_user
from .models import CourseGoal

__all__ = ["set_course_goal"]


def set_course_goal(user, course_key, days_per_week: int, subscribed_to_reminders: bool) -> CourseGoal:
    user = as_user(user)
    course_key = as_course_key(course_key)
    if int(days_per_week) < 0:
        raise ValueError("days_per_week cannot be negative.")
    goal, _ = CourseGoal.objects.update_or_create(
        user=user, course_key=course_key,
        defaults={"days_per_week": int(days_per_week), "subscribed_to_reminders": bool(subscribed_to_reminders)})
    return goal

"""Celebrations: the one-off ones of an enrollment and the streak ones (docs/courseware.rst)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.dispatch import receiver

from ...signals import celebration_updated, send_on_commit
from ...toggles import ENABLE_PROGRESS_MILESTONES
from ..enrollments.signals import enrollment_created
from .activity import count_activity_days
from .models import CourseEnrollmentCelebration
from .streaks import perform_streak_update
from .timezones import start_of_week

NO_CELEBRATIONS = {"first_section": False, "streak_length_to_celebrate": None, "streak_discount_enabled": False,
                   "weekly_goal": False}


@receiver(enrollment_created, dispatch_uid="openedx_learner_apis.enrollment_celebration")
def create_enrollment_celebration(sender=None, *, enrollment, **kwargs) -> CourseEnrollmentCelebration | None:
    """A new enrollment celebrates its first section and first weekly goal, when progress milestones are on.

    Connected to ``enrollment_created``: the row is written in the enrollment's transaction.
    """
    if not ENABLE_PROGRESS_MILESTONES.is_enabled():
        return None
    return CourseEnrollmentCelebration.objects.get_or_create(
        enrollment=enrollment, defaults={"celebrate_first_section": True, "celebrate_weekly_goal": True})[0]


def enrollment_celebration(enrollment) -> CourseEnrollmentCelebration | None:
    """The enrollment's celebration row, from ``select_related`` when the caller made one."""
    try:
        return enrollment.celebration
    except CourseEnrollmentCelebration.DoesNotExist:
        return None


def update_enrollment_celebration(user, enrollment, *, first_section: bool | None = None,
                                  weekly_goal: bool | None = None) -> tuple[CourseEnrollmentCelebration, bool]:
    """Store the given flags of ``user``'s enrollment (``None`` leaves one alone).

    Returns the row and whether it was created; ``celebration_updated`` is sent once the
    transaction commits.
    """
    updates = {}
    if first_section is not None:
        updates["celebrate_first_section"] = bool(first_section)
    if weekly_goal is not None:
        updates["celebrate_weekly_goal"] = bool(weekly_goal)
    with transaction.atomic():
        row, created = CourseEnrollmentCelebration.objects.update_or_create(enrollment=enrollment, defaults=updates)
        send_on_commit(celebration_updated, CourseEnrollmentCelebration, user=user,
                       course_key=enrollment.course.course_key, celebration=row)
    return row, created


def celebration_fields(row: CourseEnrollmentCelebration | None) -> dict:
    """The API's names for a celebration row (``False`` when there is none)."""
    return {"first_section": bool(row and row.celebrate_first_section),
            "weekly_goal": bool(row and row.celebrate_weekly_goal)}


def weekly_goal_reached(user, course_key, goal, today: date) -> bool:
    """Whether today's visit is the one that meets the weekly goal (exactly ``days_per_week`` days so far).

    The week starts on the learner's own Monday: ``today`` is a local date.
    """
    if goal is None or goal.days_per_week <= 0:
        return False
    return count_activity_days(user, course_key, start_of_week(today)) == goal.days_per_week


def get_celebrations(user, enrollment, course_key, *, today: date, goal=None, track_streak: bool,
                     streak_discount: Callable[[], bool], on_streak_updated: Callable[[int], None]) -> dict:
    """The ``celebrations`` field of course info; updates the streak when ``track_streak``.

    ``track_streak`` is false for anonymous users, masquerades and when the streak flags are
    off; ``streak_discount`` is asked only when a streak is celebrated; ``on_streak_updated``
    runs after commit when the streak changed.
    """
    if enrollment is None:
        return dict(NO_CELEBRATIONS)
    streak_length = None
    if track_streak:
        update = perform_streak_update(user, today)
        streak_length = update.length_to_celebrate
        if update.changed:
            transaction.on_commit(lambda: on_streak_updated(update.streak_length))
    row = enrollment_celebration(enrollment)
    return {
        "first_section": bool(row and row.celebrate_first_section),
        "streak_length_to_celebrate": streak_length,
        "streak_discount_enabled": bool(streak_length and streak_discount()),
        "weekly_goal": bool(row and row.celebrate_weekly_goal
                            and weekly_goal_reached(user, course_key, goal, today)),
    }

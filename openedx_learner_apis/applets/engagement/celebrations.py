"""Celebration rows: which one-off celebrations an enrollment still has to show (courseware spec §6.3)."""

from __future__ import annotations

from .models import CourseEnrollmentCelebration


def create_enrollment_celebration(enrollment) -> CourseEnrollmentCelebration:
    """A new enrollment celebrates its first section and its first weekly goal."""
    return CourseEnrollmentCelebration.objects.get_or_create(
        enrollment=enrollment, defaults={"celebrate_first_section": True, "celebrate_weekly_goal": True})[0]

"""Recent activity: which of a learner's mobile courses were active lately (``enrollments_status``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from ...applets.courses.roles import course_roles
from ...applets.enrollments.models import Enrollment
from ...applets.progress.models import BlockCompletion
from ...conf import learner_apis_settings
from .access import is_mobile_available
from .configs import ignore_mobile_available_flag

__all__ = ["enrollments_status"]


def enrollments_status(user, *, now: datetime | None = None) -> list[dict]:
    """``[{"course_id", "course_name", "recently_active"}]`` for the learner's mobile courses.

    Only the first ``ENROLLMENTS_STATUS_LIMIT`` active enrollments by course key are read,
    before any filtering. A course is recently active when the enrollment is younger than
    ``ENROLLMENTS_STATUS_DAYS`` (strictly) or a completion was created since then. Four
    queries at most, whatever the number of enrollments.
    """
    now = now or timezone.now()
    threshold = now - timedelta(days=learner_apis_settings.ENROLLMENTS_STATUS_DAYS)
    enrollments = list(Enrollment.objects.filter(user=user, is_active=True).select_related("course")
                       .order_by("course__course_key")[:learner_apis_settings.ENROLLMENTS_STATUS_LIMIT])
    if not enrollments:
        return []
    keys = [enrollment.course.course_key for enrollment in enrollments]
    ignore_flag = ignore_mobile_available_flag()
    roles = course_roles(user, keys)
    recent = set(BlockCompletion.objects.filter(user=user, course_key__in=keys, created__gte=threshold)
                 .values_list("course_key", flat=True).distinct())
    result = []
    for enrollment in enrollments:
        course = enrollment.course
        if not is_mobile_available(course, user, roles.get(course.course_key, set()), ignore_flag=ignore_flag):
            continue
        result.append({
            "course_id": str(course.course_key),
            "course_name": course.display_name or None,
            "recently_active": enrollment.created > threshold or course.course_key in recent,
        })
    return result

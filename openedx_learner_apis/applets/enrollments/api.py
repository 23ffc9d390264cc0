"""Public functions of the enrollments applet."""

from __future__ import annotations

from django.db import transaction

from ...core.keys import spelled_as
from ...core.users import as_user
from ...signals import enrollment_changed, send_on_commit
from ..courses.api import get_course
from .models import Enrollment
from .signals import enrollment_created

__all__ = ["enroll", "unenroll", "get_enrollment"]


def enroll(user, course_key, mode: str = "audit", is_active: bool = True, **fields) -> Enrollment:
    """Enroll (or re-enroll, or change the mode of) a learner; sends ``enrollment_changed`` on commit."""
    user = as_user(user)
    course = get_course(course_key)
    with transaction.atomic():
        enrollment, created = Enrollment.objects.select_for_update().get_or_create(
            user=user, course=course, defaults={"mode": mode, "is_active": is_active, **fields})
        if not created:
            enrollment.mode, enrollment.is_active = mode, is_active
            for name, value in fields.items():
                setattr(enrollment, name, value)
            enrollment.save()
        if created:
            enrollment_created.send(sender=Enrollment, enrollment=enrollment)
        send_on_commit(enrollment_changed, Enrollment, user=user, course_key=course.course_key, mode=mode,
                       is_active=is_active, created=created)
    return enrollment


def unenroll(user, course_key) -> Enrollment | None:
    """Deactivate an enrollment (kept for history); ``None`` when there was none."""
    user = as_user(user)
    course = get_course(course_key)
    with transaction.atomic():
        enrollment = Enrollment.objects.select_for_update().filter(user=user, course=course).first()
        if enrollment is None:
            return None
        if enrollment.is_active:
            enrollment.is_active = False
            enrollment.save(update_fields=["is_active", "modified"])
            send_on_commit(enrollment_changed, Enrollment, user=user, course_key=course.course_key,
                           mode=enrollment.mode, is_active=False, created=False)
    return enrollment


def get_enrollment(user, course_key) -> Enrollment | None:
    """The learner's enrollment in the course spelled exactly ``course_key`` (letter case included), or ``None``."""
    user = as_user(user)
    enrollment = Enrollment.objects.select_related("course").filter(user=user, course__course_key=course_key).first()
    return enrollment if enrollment is not None and spelled_as(enrollment.course.course_key, course_key) else None

"""Public functions of the badges applet."""

from __future__ import annotations

from django.db import transaction

from opaque_keys.edx.django.models import CourseKeyField

from ...signals import badge_awarded, send_on_commit
from ..validation import as_course_key, as_user
from .models import BadgeAssertion, BadgeClass

__all__ = ["create_badge_class", "award_badge"]


def create_badge_class(slug: str, issuing_component: str = "", *, display_name: str, description: str,
                       criteria: str, image, course_key=None, mode: str = "") -> BadgeClass:
    """Create (or update) a badge class; ``image`` is a Django ``File`` saved to the default storage."""
    course_key = as_course_key(course_key) if course_key else CourseKeyField.Empty
    slug = slug.lower()
    with transaction.atomic():
        badge_class = BadgeClass.objects.filter(slug=slug, issuing_component=issuing_component,
                                                course_key=course_key).first()
        badge_class = badge_class or BadgeClass(slug=slug, issuing_component=issuing_component, course_key=course_key)
        badge_class.display_name, badge_class.description = display_name, description
        badge_class.criteria, badge_class.mode = criteria, mode
        if image is not None:
            badge_class.image.save(getattr(image, "name", None) or f"{slug}.png", image, save=False)
        badge_class.full_clean(exclude=["image"] if badge_class.image else None)
        badge_class.save()
    return badge_class


def award_badge(user, badge_class: BadgeClass, *, image_url: str, assertion_url: str, backend: str = "",
                data: dict | None = None) -> BadgeAssertion:
    """Record a badge awarded to ``user``; sends ``badge_awarded`` on commit."""
    user = as_user(user)
    with transaction.atomic():
        assertion = BadgeAssertion.objects.create(user=user, badge_class=badge_class, image_url=image_url,
                                                  assertion_url=assertion_url, backend=backend, data=data or {})
        send_on_commit(badge_awarded, BadgeAssertion, user=user, assertion=assertion)
    return assertion

"""Who holds which role in a course: global staff, course or org staff and instructors, beta testers."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from opaque_keys.edx.django.models import CourseKeyField

from .models import CourseAccessRole

STAFF_ROLES = frozenset({"staff", "instructor", "limited_staff"})
BETA_TESTER = "beta_testers"


def course_roles(user, course_keys) -> dict:
    """``{course_key: {role, ...}}`` for ``user`` in each course (org-wide roles included), in one query."""
    course_keys = list(course_keys)
    result = defaultdict(set)
    if not user or not user.is_authenticated or not course_keys:
        return result
    orgs = {key.org for key in course_keys}
    rows = CourseAccessRole.objects.filter(
        Q(course_key__in=course_keys) | Q(course_key=CourseKeyField.Empty, org__in=orgs), user=user
    ).values_list("course_key", "org", "role")
    by_org = defaultdict(set)
    for course_key, org, role in rows:
        if not course_key:
            by_org[org].add(role)
        else:
            result[course_key].add(role)
    for key in course_keys:
        result[key] |= by_org.get(key.org, set())
    return result


def is_course_staff(user, course_key, roles: set | None = None) -> bool:
    """Global staff, or a staff-like role in the course or its org."""
    if not user or not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    roles = course_roles(user, [course_key])[course_key] if roles is None else roles
    return bool(roles & STAFF_ROLES)


def is_beta_tester(user, course_key, roles: set | None = None) -> bool:
    if not user or not user.is_authenticated:
        return False
    roles = course_roles(user, [course_key])[course_key] if roles is None else roles
    return BETA_TESTER in roles

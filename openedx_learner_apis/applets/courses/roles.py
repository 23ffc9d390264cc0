"""Who holds which role in a course: global staff, course or org staff and instructors, beta testers."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from opaque_keys.edx.django.models import CourseKeyField

from ...core.plain_sql import Select, select_rows
from .models import CourseAccessRole

STAFF_ROLES = frozenset({"staff", "instructor", "limited_staff"})
BETA_TESTER = "beta_testers"
# Every role of a user: read on every mobile listing, so in plain SQL (core.plain_sql).
ALL_GRANTS = Select(CourseAccessRole, ("course_key", "org", "role"), ("user",))


def role_grants(user, course_keys=None) -> list[tuple]:
    """``[(course_key or empty, org, role), ...]`` held by ``user``, in one query.

    ``course_keys`` limits the rows to those courses and their orgs' org-wide roles;
    ``None`` reads every role of the user (mostly none, a few for course teams).
    """
    if not user or not user.is_authenticated:
        return []
    if course_keys is None:
        return select_rows(ALL_GRANTS, user.pk)
    course_keys = list(course_keys)
    if not course_keys:
        return []
    rows = CourseAccessRole.objects.filter(
        Q(course_key__in=course_keys) | Q(course_key=CourseKeyField.Empty, org__in={key.org for key in course_keys}),
        user=user)
    return list(rows.values_list("course_key", "org", "role"))


def roles_by_course(grants, course_keys) -> dict:
    """``{course_key: {role, ...}}`` from ``role_grants`` rows, org-wide roles included."""
    result = defaultdict(set)
    by_org = defaultdict(set)
    for course_key, org, role in grants:
        if course_key:
            result[course_key].add(role)
        else:
            by_org[org].add(role)
    for key in course_keys:
        result[key] |= by_org.get(key.org, set())
    return result


def course_roles(user, course_keys) -> dict:
    """``{course_key: {role, ...}}`` for ``user`` in each course (org-wide roles included), in one query."""
    course_keys = list(course_keys)
    return roles_by_course(role_grants(user, course_keys), course_keys)


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

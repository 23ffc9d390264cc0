"""Public functions of the courses applet: overviews, modes, roles, outlines, course-info pages and OLX import."""

from __future__ import annotations

from django.db import transaction
from opaque_keys.edx.django.models import CourseKeyField

from ..validation import CourseNotFound, as_course_key, as_user, spelled_as
from .cache import get_course_overviews
from .info_pages import HANDOUTS, UPDATES, handouts_html, info_page, replace_info_pages, save_info_page, visible_updates
from .models import Block, Course, CourseAccessRole, CourseMode
from .outline import CourseOutline, get_outline, get_outlines, invalidate_outline

__all__ = [
    "upsert_course", "upsert_course_mode", "grant_course_role", "import_olx", "get_course", "get_outline",
    "get_outlines", "CourseOutline", "COURSE_ROLES", "get_course_overview", "get_course_overviews", "find_course",
    "set_course_info_page", "get_course_handouts", "get_course_updates",
]

COURSE_ROLES = ("staff", "instructor", "beta_testers", "data_researcher", "limited_staff")


def find_course(course_key, *, with_modes: bool = False) -> Course | None:
    """The course whose key is spelled exactly ``course_key``, or ``None``; a key in another letter case names none."""
    queryset = Course.objects.filter(course_key=course_key)
    course = (queryset.prefetch_related("modes") if with_modes else queryset).first()
    return course if course is not None and spelled_as(course.course_key, course_key) else None


def get_course(course_key) -> Course:
    course_key = as_course_key(course_key)
    course = find_course(course_key)
    if course is None:
        raise CourseNotFound(f"No course {course_key}.")
    return course


def get_course_overview(course_key) -> Course:
    """``get_course`` served from the cache, for reads; writes use ``get_course`` to work on the current row."""
    course_key = as_course_key(course_key)
    course = get_course_overviews([course_key]).get(course_key)
    if course is None:
        raise CourseNotFound(f"No course {course_key}.")
    return course


def upsert_course(course_key, **fields) -> Course:
    """Create or update a course overview; org, number and run come from the key."""
    course_key = as_course_key(course_key)
    unknown = set(fields) - {f.name for f in Course._meta.concrete_fields}
    if unknown:
        raise TypeError(f"Unknown course fields: {sorted(unknown)}")
    defaults = {"org": course_key.org, "number": course_key.course, "run": course_key.run, **fields}
    with transaction.atomic():
        course, _ = Course.objects.update_or_create(course_key=course_key, defaults=defaults)
    invalidate_outline(course_key)
    return course


def upsert_course_mode(course_key, mode_slug: str, **fields) -> CourseMode:
    """Create or update a course mode (price, SKUs, expiry...)."""
    course = get_course(course_key)
    currency = fields.pop("currency", "usd")
    fields.setdefault("mode_display_name", mode_slug.replace("-", " ").title())
    mode, _ = CourseMode.objects.update_or_create(course=course, mode_slug=mode_slug, currency=currency,
                                                  defaults=fields)
    return mode


def grant_course_role(user, course_key, role: str, *, org: str | None = None) -> CourseAccessRole:
    """Give ``user`` a role in one course (or, with ``course_key=None``, in every course of ``org``)."""
    user = as_user(user)
    if role not in COURSE_ROLES:
        raise ValueError(f"Unknown role {role!r}; use one of {COURSE_ROLES}.")
    if course_key is None:
        if not org:
            raise ValueError("An org role needs an org.")
        return CourseAccessRole.objects.get_or_create(user=user, org=org, course_key=CourseKeyField.Empty,
                                                      role=role)[0]
    course_key = as_course_key(course_key)
    return CourseAccessRole.objects.get_or_create(user=user, org=course_key.org, course_key=course_key,
                                                  role=role)[0]


BLOCK_FIELDS = (
    "block_type", "position", "display_name", "graded", "format", "start", "due", "hide_after_due",
    "hide_from_toc", "visible_to_staff_only", "is_time_limited", "is_proctored_enabled", "is_practice_exam",
    "is_onboarding_exam", "default_time_limit_minutes", "has_score", "weight", "fields",
)


def set_course_info_page(course_key, name: str, *, html: str = "", items=None):
    """Write the ``handouts`` or ``updates`` page of a course, as an OLX import would.

    ``items`` (updates only) are ``{"id", "date", "content", "status"}`` dicts, oldest first;
    a missing id is the item's place, a missing status ``visible``.
    """
    return save_info_page(get_course(course_key), name, html=html, items=items)


def get_course_handouts(course_key, *, root: str) -> str | None:
    """The course's handouts HTML as the mobile apps get it (links absolute on ``root``), or ``None``."""
    course = get_course(course_key)
    return handouts_html(info_page(course, HANDOUTS), course.course_key, root=root)


def get_course_updates(course_key, *, root: str) -> list[dict]:
    """The course's visible updates, newest first, as the mobile apps get them (links absolute on ``root``)."""
    course = get_course(course_key)
    return visible_updates(info_page(course, UPDATES), course.course_key, root=root)


def import_olx(source) -> CourseKey:  # noqa: F821
    """Import an OLX export (a ``.tar.gz`` path, a directory or a binary file object).

    Parsing happens before any write, so a bad archive changes nothing; a re-import
    updates the course in place and removes blocks that disappeared.
    """
    from .olx import read_olx

    parsed = read_olx(source)
    course_fields = {
        "display_name": parsed.display_name, "start": parsed.start, "end": parsed.end,
        "enrollment_start": parsed.enrollment_start, "enrollment_end": parsed.enrollment_end,
        "advertised_start": parsed.advertised_start or "", "self_paced": parsed.self_paced,
        "course_image_url": parsed.course_image and f"/asset-v1:{parsed.course_key.org}+{parsed.course_key.course}"
                                                    f"+{parsed.course_key.run}+type@asset+block@{parsed.course_image}",
        "language": parsed.language or "", "grade_cutoffs": parsed.grade_cutoffs, "grading_policy": parsed.grader,
        "certificate_available_date": parsed.certificate_available_date,
        "certificates_display_behavior": parsed.certificates_display_behavior or "end",
        "mobile_available": parsed.mobile_available, "days_early_for_beta": parsed.days_early_for_beta,
        "short_description": parsed.short_description or "", "effort": parsed.effort or "",
    }
    with transaction.atomic():
        course = upsert_course(parsed.course_key, **course_fields)
        existing = {block.usage_key: block for block in Block.objects.filter(course=course)}
        seen_ids = {}
        to_create, to_update = [], []
        for preorder, olx_block in enumerate(parsed.blocks):
            values = {name: getattr(olx_block, name) for name in BLOCK_FIELDS}
            values["weight"] = values["weight"] if values["weight"] is not None else None
            block = existing.get(olx_block.usage_key)
            if block is None:
                block = Block(course=course, usage_key=olx_block.usage_key)
                to_create.append(block)
            else:
                to_update.append(block)
            for name, value in values.items():
                setattr(block, name, value)
            block.preorder = preorder
            block.parent_id = None
            seen_ids[olx_block.usage_key] = (block, olx_block.parent_key)
        Block.objects.filter(course=course).exclude(usage_key__in=list(seen_ids)).delete()
        Block.objects.bulk_create(to_create, batch_size=500)
        for block, parent_key in seen_ids.values():
            block.parent_id = seen_ids[parent_key][0].pk if parent_key is not None else None
        Block.objects.bulk_update(list(block for block, _ in seen_ids.values()),
                                  ["parent", "preorder", *BLOCK_FIELDS], batch_size=500)
        replace_info_pages(course, parsed.info)
    invalidate_outline(parsed.course_key)  # now, and again when an enclosing transaction commits
    return parsed.course_key

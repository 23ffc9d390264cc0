"""Public functions of the courses applet: overviews, modes, roles, outlines, course-info pages and content."""

from __future__ import annotations

from django.db import transaction
from opaque_keys.edx.django.models import CourseKeyField

from ...core.keys import as_course_key, spelled_as
from ...core.users import as_user
from .cache import get_course_overviews
from .info_pages import HANDOUTS, UPDATES, handouts_html, info_page, replace_info_pages, save_info_page, visible_updates
from .models import Block, Course, CourseAccessRole, CourseMode
from .outline import BLOCK_FIELDS, CourseOutline, get_outline, get_outlines, invalidate_outline

__all__ = [
    "upsert_course", "upsert_course_mode", "grant_course_role", "get_course", "get_outline",
    "get_outlines", "CourseOutline", "COURSE_ROLES", "get_course_overview", "get_course_overviews", "find_course",
    "set_course_info_page", "get_course_handouts", "get_course_updates", "CourseNotFound",
]


class CourseNotFound(LookupError):
    """No course overview exists for this key."""


COURSE_ROLES = ("staff", "instructor", "beta_testers", "data_researcher", "limited_staff")
# Blocks written per query when a course's content is replaced.
WRITE_BATCH = 500


def _batches(items: list):
    """``(batch, how many written after it)`` for each ``WRITE_BATCH`` slice of ``items``."""
    for start in range(0, len(items), WRITE_BATCH):
        batch = items[start:start + WRITE_BATCH]
        yield batch, start + len(batch)


def _report(progress, phase: str, done: int, total: int) -> None:
    if progress is not None:
        progress(phase, done, total)


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


def replace_course_content(course_key, *, fields: dict, blocks, info_pages: dict, progress=None) -> Course:
    """Make a course exactly this, in one transaction: its overview ``fields``, its blocks, its info pages.

    ``blocks`` are in pre-order (root first), each with a ``usage_key``, a ``parent_key`` and the
    attributes named in ``BLOCK_FIELDS``; blocks of the course that are not among them are
    deleted, the others updated in place. ``info_pages`` (name -> page with ``html`` and
    ``items``) replace the course's pages; a page not among them is removed. The outline cache
    is dropped now and again when an enclosing transaction commits.

    ``progress(phase, done, total)``, when given, is called after each batch of writes:
    ``"insert"`` counts the new blocks stored, ``"update"`` every block given its place in the tree.
    """
    course_key = as_course_key(course_key)
    with transaction.atomic():
        course = upsert_course(course_key, **fields)
        existing = {block.usage_key: block for block in Block.objects.filter(course=course)}
        seen_ids = {}
        to_create = []
        for preorder, source in enumerate(blocks):
            block = existing.get(source.usage_key)
            if block is None:
                block = Block(course=course, usage_key=source.usage_key)
                to_create.append(block)
            for name in BLOCK_FIELDS:
                setattr(block, name, getattr(source, name))
            block.preorder = preorder
            block.parent_id = None
            seen_ids[source.usage_key] = (block, source.parent_key)
        Block.objects.filter(course=course).exclude(usage_key__in=list(seen_ids)).delete()
        for batch, done in _batches(to_create):
            Block.objects.bulk_create(batch, batch_size=WRITE_BATCH)
            _report(progress, "insert", done, len(to_create))
        for block, parent_key in seen_ids.values():
            block.parent_id = seen_ids[parent_key][0].pk if parent_key is not None else None
        for batch, done in _batches([block for block, _ in seen_ids.values()]):
            Block.objects.bulk_update(batch, ["parent", "preorder", *BLOCK_FIELDS], batch_size=WRITE_BATCH)
            _report(progress, "update", done, len(seen_ids))
        replace_info_pages(course, info_pages)
    invalidate_outline(course_key)
    return course

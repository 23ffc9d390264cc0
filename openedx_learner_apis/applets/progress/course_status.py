"""Where a learner is in a course: last visited module and path, saving it, latest progress.

Serves the mobile ``course_status_info`` routes and the v4 primary's ``course_status``.
Positions are ``CoursewarePosition`` rows (1-based child index per course, chapter and
subsection); the outline comes from ``get_outline`` and is walked in memory.
"""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone

from ...signals import course_status_updated, send_on_commit
from ..validation import spelled_exactly
from .models import BlockCompletion, CoursewarePosition

__all__ = [
    "POSITIONED_TYPES", "InvalidModule", "visible_children", "get_positions", "last_visited_path",
    "save_last_visited", "position_date", "last_completed_block", "completion_course_status", "recent_progress",
]

# Containers that remember which child was visited last (units and leaves do not).
POSITIONED_TYPES = frozenset({"course", "chapter", "sequential"})


class InvalidModule(ValueError):
    """The block is not part of this course's outline, or the learner cannot see it."""


def visible_children(block, *, staff: bool, now: datetime) -> list:
    """Children a learner sees: staff see all; others not staff-only ones nor unreleased ones."""
    if staff:
        return list(block.children)
    return [child for child in block.children
            if not child.visible_to_staff_only and (child.start is None or child.start <= now)]


def get_positions(user, course_key) -> dict:
    """``{block usage key: position}`` of ``user`` in one course, in one query."""
    return dict(CoursewarePosition.objects.filter(user=user, course_key=course_key)
                .values_list("block_key", "position"))


def _pick(children: list, position: int | None, usable):
    """The child at the saved 1-based ``position`` if usable, else the first usable child."""
    if position and 1 <= position <= len(children) and usable(children[position - 1]):
        return children[position - 1]
    return next((child for child in children if usable(child)), None)


def last_visited_path(outline, positions: dict, *, staff: bool, now: datetime) -> list:
    """``[subsection, chapter, course]`` usage keys, deepest first (shorter when the course has no content)."""
    root = outline.root
    if root is None:
        return [outline.course_key.make_usage_key("course", "course")]

    def has_children(block) -> bool:
        return bool(visible_children(block, staff=staff, now=now))

    def chapter_usable(chapter) -> bool:
        return any(has_children(subsection) for subsection in visible_children(chapter, staff=staff, now=now))

    chapter = _pick(visible_children(root, staff=staff, now=now), positions.get(root.usage_key), chapter_usable)
    if chapter is None:
        return [root.usage_key]
    subsection = _pick(visible_children(chapter, staff=staff, now=now), positions.get(chapter.usage_key),
                       has_children)
    if subsection is None:
        return [chapter.usage_key, root.usage_key]
    return [subsection.usage_key, chapter.usage_key, root.usage_key]


def _index_of(children: list, block) -> int | None:
    """Position of ``block`` among ``children`` by identity (outline blocks link to each other)."""
    return next((index for index, child in enumerate(children) if child is block), None)


def _is_visible(block, *, staff: bool, now: datetime) -> bool:
    node = block
    while node.parent is not None:
        if _index_of(visible_children(node.parent, staff=staff, now=now), node) is None:
            return False
        node = node.parent
    return True


def save_last_visited(user, outline, block_key, *, modification_date: datetime | None = None, staff: bool = False,
                      now: datetime | None = None) -> bool:
    """Remember ``block_key`` as the learner's last visited block; ``False`` when skipped as stale.

    Every positioned ancestor stores the 1-based index of the child the walk came from;
    unchanged positions are not written. With ``modification_date``, the update applies
    only when it is strictly later than :func:`position_date`, the date of the update that
    set the current position, whichever of its rows that update changed; the rows it writes
    keep ``modification_date``. Raises :class:`InvalidModule` when the block is not in this course or not visible.
    Sends ``course_status_updated`` on commit when applied.
    """
    now = now or timezone.now()
    block = outline.get(block_key)
    if block is None or outline.root is None or not _is_visible(block, staff=staff, now=now):
        raise InvalidModule(f"{block_key} is not a block of {outline.course_key}.")
    return _store_path(user, outline, block, modification_date=modification_date, staff=staff, now=now)


@transaction.atomic
def _store_path(user, outline, block, *, modification_date: datetime | None, staff: bool, now: datetime) -> bool:
    # The learner's own row is the one lock every save can take, even the first one of a course
    # (no position row exists yet): saves of one learner take turns, each seeing what the
    # previous one wrote, with no unique-key collision and no deadlock between path rows.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if modification_date is not None:
        current = position_date(user, outline.course_key)
        if current is not None and modification_date <= current:
            return False
    wanted, child = {}, block
    for ancestor in block.ancestors():
        if ancestor.block_type in POSITIONED_TYPES:
            wanted[ancestor.usage_key] = _index_of(visible_children(ancestor, staff=staff, now=now), child) + 1
        child = ancestor
    existing = {row.block_key: row for row in
                CoursewarePosition.objects.filter(user=user, block_key__in=list(wanted))}
    for usage_key, position in wanted.items():
        row = existing.get(usage_key)
        if row is None:
            CoursewarePosition.objects.create(user=user, course_key=outline.course_key, block_key=usage_key,
                                              position=position, modification_date=modification_date)
        elif row.position != position:
            row.position, row.modification_date = position, modification_date
            row.save(update_fields=["position", "modification_date", "modified"])
    send_on_commit(course_status_updated, CoursewarePosition, user=user, course_key=outline.course_key,
                   block_key=block.usage_key)
    return True


def position_date(user, course_key) -> datetime | None:
    """When the learner's position in a course was last set; ``None`` before the first save.

    The newest date among the learner's position rows of the course: the client's
    ``modification_date`` of the update that wrote a row, else the time it was written. A
    newer update may change only a chapter's or a subsection's row (a move within a
    chapter), so the course row alone does not date the position.
    """
    return (CoursewarePosition.objects.filter(spelled_exactly("course_key", course_key), user=user)
            .aggregate(latest=Max(Coalesce("modification_date", "modified")))["latest"])


def last_completed_block(user, course_key):
    """The usage key of the learner's most recently modified completion in the course, or ``None``."""
    return (BlockCompletion.objects.filter(spelled_exactly("course_key", course_key), user=user)
            .order_by("-modified", "-id")
            .values_list("block_key", flat=True).first())


def completion_course_status(outline, block_key) -> dict | None:
    """The v4 primary's ``course_status`` for the last completed block (paths run root first here).

    ``None`` when the block left the outline or sits above unit level (upstream raised there).
    """
    block = outline.get(block_key) if block_key is not None else None
    if block is None:
        return None
    path = [*reversed(block.ancestors()), block]
    if len(path) < 4:
        return None
    return {
        "last_visited_module_id": str(path[2].usage_key),
        "last_visited_module_path": [str(node.usage_key) for node in path[:3]],
        "last_visited_block_id": str(block.usage_key),
        "last_visited_unit_display_name": path[3].display_name,
    }


def recent_progress(user, *, offset: int = 0, limit: int = 20) -> list[tuple]:
    """``[(course_key, modified), ...]`` of the learner's positions and completions.

    Newest first, ``limit`` rows from ``offset``. Both kinds of rows are progress: the
    mobile apps save positions, the web courseware mostly records completions.
    One query per table, each reading only the newest rows through its ``(user, modified)``
    index, however long the learner's history is (a ``UNION`` would read them all on
    PostgreSQL, which does not merge ordered index scans of a top-level ``UNION ALL``).
    """
    newest = [model.objects.filter(user=user).order_by("-modified")
              .values_list("course_key", "modified")[:offset + limit]
              for model in (CoursewarePosition, BlockCompletion)]
    merged = heapq.merge(*newest, key=lambda row: row[1], reverse=True)
    return list(itertools.islice(merged, offset, offset + limit))

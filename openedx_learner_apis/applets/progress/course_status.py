"""Positions and completions read and stored: where a learner is in a course, and their latest progress.

Positions are ``CoursewarePosition`` rows (a 1-based child index per course, chapter and
subsection); which index to store is the mobile course-status use case's business
(``features/mobile/course_status.py``). The mobile apps and the courseware resume point read
the latest completion from here.
"""

from __future__ import annotations

import heapq
import itertools
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce

from ...core.keys import spelled_exactly
from ...core.plain_sql import Select, select_many
from ...signals import course_status_updated, send_on_commit
from .models import BlockCompletion, CoursewarePosition

__all__ = [
    "POSITIONED_TYPES", "get_positions", "store_positions", "position_date", "last_completed_block",
    "completion_course_status", "merged_progress", "progress_reads", "recent_progress",
]

# Containers that remember which child was visited last (units and leaves do not).
POSITIONED_TYPES = frozenset({"course", "chapter", "sequential"})


def get_positions(user, course_key) -> dict:
    """``{block usage key: position}`` of ``user`` in one course, in one query."""
    return dict(CoursewarePosition.objects.filter(user=user, course_key=course_key)
                .values_list("block_key", "position"))


@transaction.atomic
def store_positions(user, course_key, positions: dict, *, block_key, modification_date: datetime | None = None) -> bool:
    """Store ``{container usage key: 1-based child index}`` as the learner's position; ``False`` when stale.

    With ``modification_date``, the update applies only when it is strictly later than
    :func:`position_date`, the date of the update that set the current position, whichever
    of its rows that update changed; the rows it writes keep ``modification_date``.
    Unchanged positions are not written. Sends ``course_status_updated`` (naming
    ``block_key``, the block visited) on commit when applied.
    """
    # The learner's own row is the one lock every save can take, even the first one of a course
    # (no position row exists yet): saves of one learner take turns, each seeing what the
    # previous one wrote, with no unique-key collision and no deadlock between path rows.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if modification_date is not None:
        current = position_date(user, course_key)
        if current is not None and modification_date <= current:
            return False
    existing = {row.block_key: row for row in
                CoursewarePosition.objects.filter(user=user, block_key__in=list(positions))}
    for usage_key, position in positions.items():
        row = existing.get(usage_key)
        if row is None:
            CoursewarePosition.objects.create(user=user, course_key=course_key, block_key=usage_key,
                                              position=position, modification_date=modification_date)
        elif row.position != position:
            row.position, row.modification_date = position, modification_date
            row.save(update_fields=["position", "modification_date", "modified"])
    send_on_commit(course_status_updated, CoursewarePosition, user=user, course_key=course_key,
                   block_key=block_key)
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

    ``None`` when the block left the outline or sits above unit level (no unit to name).
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


def progress_reads(count: int) -> list[Select]:
    """The selects of a learner's ``count`` newest positions and of their ``count`` newest completions.

    Each reads ``(course_key, modified)`` rows through its ``(user, modified)`` index; the
    learner (their id) is the one value of each. :func:`merged_progress` merges their rows.
    """
    return [Select(model, ("course_key", "modified"), ("user",), ("-modified",), count)
            for model in (CoursewarePosition, BlockCompletion)]


def merged_progress(parts: list[list[tuple]], *, offset: int, limit: int) -> list[tuple]:
    """``limit`` rows from ``offset`` of the rows of :func:`progress_reads`, newest first (positions first on a tie)."""
    merged = heapq.merge(*parts, key=lambda row: row[1], reverse=True)
    return list(itertools.islice(merged, offset, offset + limit))


def recent_progress(user, *, offset: int = 0, limit: int = 20) -> list[tuple]:
    """``[(course_key, modified), ...]`` of the learner's positions and completions.

    Newest first, ``limit`` rows from ``offset``. Both kinds of rows are progress: the
    mobile apps save positions, the web courseware mostly records completions.
    One statement, whose two parts each read only the newest rows of their table through its
    ``(user, modified)`` index, however long the learner's history is (``select_many``: a
    ``UNION`` of the whole tables, ordered once, would read them all on PostgreSQL).
    """
    # Plain SQL (core.plain_sql): one round trip, without the ORM's cost per query.
    parts = select_many(*[(select, (user.pk,)) for select in progress_reads(offset + limit)])
    return merged_progress(parts, offset=offset, limit=limit)

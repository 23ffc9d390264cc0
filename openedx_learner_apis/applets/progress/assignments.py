"""A learner's assignments in a course: counting (``course_progress``) and the due-date split.

The fields ``course_assignments`` and ``course_progress`` of docs/mobile.rst. Everything
works on an outline held in memory plus the set of blocks the learner completed, so a page
of courses costs one outline query and one completion query.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, tzinfo

from django.utils.dateparse import parse_datetime

from ...core.plain_sql import Select, rows_for_keys
from .models import BlockCompletion

__all__ = [
    "ORA_STEP_LABELS", "Assignment", "course_completions", "course_assignments", "course_progress",
    "split_assignments",
]

ORA_STEP_LABELS = {
    "submission": "Submission",
    "peer-assessment": "Peer Assessment",
    "self-assessment": "Self Assessment",
    "staff-assessment": "Staff Assessment",
}


# A learner's completions in one course: ``(course_key, block_key, completion, modified, id)``.
COMPLETIONS = Select(BlockCompletion, ("course_key", "block_key", "completion", "modified", "id"),
                     ("user", "course_key"))


@dataclass(frozen=True)
class Assignment:
    """A graded subsection, or one dated step of a graded open-response assessment."""

    title: str
    date: datetime | None
    assignment_type: str | None
    complete: bool
    block_key: object
    first_component_block_id: object
    released: bool
    extra_info: str | None = None


def course_completions(user, course_keys) -> tuple[dict, dict]:
    """``({course key: {usage keys fully completed}}, {course key: usage key whose completion changed last})``.

    One query for both: the v4 primary needs the completed set (assignments) and the last
    changed block (``course_status``), whatever its completion value. Plain SQL
    (:func:`openedx_learner_apis.core.plain_sql.rows_for_keys`), rows ordered by ``(modified, id)`` here.
    """
    completed: dict = defaultdict(set)
    last_changed: dict = {}
    course_keys = list(course_keys)
    if not course_keys or not getattr(user, "is_authenticated", False):
        return completed, last_changed
    rows = sorted(rows_for_keys(COMPLETIONS, (user.pk,), course_keys), key=lambda row: (row[3], row[4]))
    for course_key, block_key, completion, _, _ in rows:
        if completion >= 1.0:
            completed[course_key].add(block_key)
        last_changed[course_key] = block_key
    return completed, last_changed


def _leaves(block) -> list:
    return [node for node in block.descendants() if not node.children]


def _is_scored_ora(block, subsection) -> bool:
    weight = block.weight
    return ((block.graded or subsection.graded) and block.has_score and (weight is None or weight > 0))


@dataclass(frozen=True)
class _OraStep:
    block: object
    title: str
    due: datetime


@dataclass(frozen=True)
class _Subsection:
    """What of a subsection its assignments need, whoever the learner: computed once per outline."""

    block: object
    leaves: frozenset
    first_leaf: object
    ora_steps: tuple


def _ora_steps(block) -> tuple:
    steps = []
    for step in block.fields.get("ora_steps") or []:
        due = parse_datetime(step.get("due") or "") if isinstance(step, dict) else None
        if due is None:
            continue
        label = ORA_STEP_LABELS.get(step.get("name"), step.get("name") or "Step")
        steps.append(_OraStep(block, f"{block.display_name} ({label})", due))
    return tuple(steps)


def _structure(outline) -> list[_Subsection]:
    """Every subsection in course order with its leaves and the dated steps of its scored ORAs."""
    result = []
    for subsection in outline.of_type("sequential"):
        leaves = _leaves(subsection)
        steps = tuple(step for block in subsection.descendants()
                      if block.block_type == "openassessment" and _is_scored_ora(block, subsection)
                      for step in _ora_steps(block))
        result.append(_Subsection(subsection, frozenset(leaf.usage_key for leaf in leaves),
                                  leaves[0].usage_key if leaves else None, steps))
    return result


def course_assignments(outline, completed: set, *, now: datetime) -> list[Assignment]:
    """Every assignment of the course in course order (undated ones included).

    A graded subsection is complete when it is released and every leaf under it is
    completed (an empty subsection is never complete); an ORA step when the ORA is.
    The outline's part (subsections, leaves, ORA steps) is computed once per outline.
    """
    result = []
    for item in outline.derived("assignments", _structure):
        subsection = item.block
        released = subsection.start is None or subsection.start <= now
        if subsection.graded:
            result.append(Assignment(
                title=subsection.display_name, date=subsection.due, assignment_type=subsection.format or None,
                complete=released and bool(item.leaves) and item.leaves <= completed,
                block_key=subsection.usage_key, first_component_block_id=item.first_leaf, released=released))
        for step in item.ora_steps:
            result.append(Assignment(
                title=step.title, date=step.due, assignment_type=subsection.format or None,
                complete=step.block.usage_key in completed, block_key=step.block.usage_key,
                first_component_block_id=step.block.usage_key, released=released))
    return result


def course_progress(assignments: list[Assignment]) -> dict:
    """``{"total_assignments_count", "assignments_completed"}`` (docs/mobile.rst, "course_enrollments")."""
    return {"total_assignments_count": len(assignments),
            "assignments_completed": sum(1 for assignment in assignments if assignment.complete)}


def split_assignments(assignments: list[Assignment], *, now: datetime, tz: tzinfo) -> tuple[list, list]:
    """``(past, future)`` dated assignments, by date: past ones all; future ones only the next due day's.

    Future assignments already complete are left out; "the next due day" is the calendar
    day, in the learner's time zone, of the earliest remaining one.
    """
    dated = sorted((item for item in assignments if item.date is not None), key=lambda item: item.date)
    past = [item for item in dated if item.date < now]
    upcoming = [item for item in dated if item.date >= now and not item.complete]
    if not upcoming:
        return past, []
    next_day = upcoming[0].date.astimezone(tz).date()
    return past, [item for item in upcoming if item.date.astimezone(tz).date() == next_day]

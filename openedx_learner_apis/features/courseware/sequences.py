"""Sequence metadata: what the learning MFE needs to show a subsection.

The rules (visibility, gating, hidden after due, banners) are in ``docs/courseware.rst``
("Sequence metadata"). Everything is computed from an outline held in memory plus the learner's rows the caller
loaded with :func:`load_learner_state`, so the work per request is a fixed number of
queries whatever the number of units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from ...applets.courses.models import SubsectionPrerequisite
from ...applets.courses.outline import get_outline
from ...applets.courses.visibility import can_load_block, has_course_access
from ...applets.progress.models import BlockCompletion, Bookmark, CoursewarePosition, PersistentSubsectionGrade
from ...core.keys import spelled_exactly
from .access import enrollment_of, load_course
from .errors import BlockUnavailable, NotASequence

SEQUENCE_BLOCK_TYPES = frozenset({"sequential", "chapter"})
# Blocks that never count towards completion (they have nothing to complete).
EXCLUDED_FROM_COMPLETION = frozenset({"discussion"})

BANNER_PREREQUISITE_STAFF = "This subsection is unlocked for learners when they meet the prerequisite requirements."
BANNER_HIDDEN_SELF_PACED = "Because the course has ended, this assignment is hidden from the learner."
BANNER_HIDDEN_INSTRUCTOR_PACED = "Because the due date has passed, this assignment is hidden from the learner."
BANNER_IS_PREREQUISITE = ("This section is a prerequisite. You must complete this section in order to unlock "
                          "additional content.")


@dataclass(frozen=True)
class Viewer:
    """Who the sequence is shown to (the effective user after masquerade)."""

    user: object
    is_staff: bool
    has_course_access: bool
    specific_masquerade: bool = False
    preview: bool = False

    @property
    def public_view(self) -> bool:
        """Anonymous visitors get the public view: no position, no completion, no bookmarks."""
        return not (self.user and self.user.is_authenticated)


@dataclass
class LearnerState:
    """The learner's rows a sequence needs, loaded in a fixed number of queries."""

    position: int | None = None
    bookmarks: set = field(default_factory=set)
    completions: dict = field(default_factory=dict)
    subsection_grades: dict = field(default_factory=dict)
    gate: SubsectionPrerequisite | None = None
    dependent_gates: list = field(default_factory=list)


def provides_sequence_metadata(block) -> bool:
    return block.block_type in SEQUENCE_BLOCK_TYPES


def display_name_with_default(block) -> str:
    return block.display_name or block.usage_key.block_id.replace("_", " ")


def is_draft(block) -> bool:
    """Blocks imported with ``published: false`` in their fields are unpublished changes."""
    return block.fields.get("published") is False


def is_visible(block, course, viewer: Viewer, now: datetime) -> bool:
    """Whether ``viewer`` may load ``block``: access rules plus drafts, shown only in staff preview."""
    if any(is_draft(node) for node in (block, *block.ancestors())) and not (viewer.preview and viewer.is_staff):
        return False
    return can_load_block(block, course, is_staff=viewer.is_staff, has_access=viewer.has_course_access, now=now)


def load_learner_state(user, course, outline, sequence, *, gating: bool) -> LearnerState:
    """The learner's position, bookmarks, completions and gating rows for one sequence.

    At most five queries whatever the size of the sequence (only the gating one for
    anonymous visitors): completions are read in one query for the blocks of the sequence
    and of its prerequisite.
    """
    state = LearnerState()
    course_key = course.course_key
    if gating:
        for row in SubsectionPrerequisite.objects.filter(
                Q(gated_usage_key=sequence.usage_key) | Q(prereq_usage_key=sequence.usage_key), course_key=course_key):
            if row.gated_usage_key == sequence.usage_key:
                state.gate = row
            if row.prereq_usage_key == sequence.usage_key:
                state.dependent_gates.append(row)
    if not (user and user.is_authenticated):
        return state
    state.position = (CoursewarePosition.objects.filter(spelled_exactly("block_key", sequence.usage_key), user=user)
                      .values_list("position", flat=True).first())
    state.bookmarks = set(Bookmark.objects.filter(user=user, course_key=course_key).values_list("usage_key", flat=True))
    subsections = [sequence]
    prereq = outline.get(state.gate.prereq_usage_key) if state.gate is not None else None
    if prereq is not None:
        subsections.append(prereq)
    block_keys = [node.usage_key for subsection in subsections for node in subsection.descendants()]
    state.completions = dict(BlockCompletion.objects.filter(user=user, course_key=course_key, block_key__in=block_keys)
                             .values_list("block_key", "completion"))
    if state.gate is not None or state.dependent_gates:
        state.subsection_grades = {
            key: (earned, possible) for key, earned, possible in PersistentSubsectionGrade.objects.filter(
                user=user, usage_key__in=[subsection.usage_key for subsection in subsections])
            .values_list("usage_key", "earned", "possible")}
    return state


def completable_leaves(block) -> list:
    return [node for node in block.descendants()
            if not node.children and node.block_type not in EXCLUDED_FROM_COMPLETION
            and node.fields.get("completion_mode") not in ("excluded", "aggregator")]


def completion_percent(block, completions: dict) -> float:
    """Average completion (0-100) of the completable blocks under ``block``; 100 when there are none."""
    leaves = completable_leaves(block)
    if not leaves:
        return 100.0
    return 100.0 * sum(completions.get(leaf.usage_key, 0.0) for leaf in leaves) / len(leaves)


def score_percent(usage_key, grades: dict) -> float:
    earned, possible = grades.get(usage_key, (0.0, 0.0))
    return 100.0 * earned / possible if possible else 0.0


def requirement_met(gate, subsection, state: LearnerState) -> bool:
    """Whether ``subsection`` satisfies ``gate``'s minimum score and completion for this learner."""
    if subsection is None:
        return True  # the prerequisite was removed from the course: nothing left to meet
    score_ok = not subsection.graded or score_percent(subsection.usage_key, state.subsection_grades) >= gate.min_score
    return score_ok and completion_percent(subsection, state.completions) >= gate.min_completion


def unit_icon(unit) -> str:
    """``problem`` if the unit holds a problem, else ``video`` if it holds a video, else ``other``."""
    types = {node.block_type for node in unit.descendants()}
    if "problem" in types:
        return "problem"
    if "video" in types:
        return "video"
    return "other"


def unit_complete(unit, completions: dict) -> bool:
    return all(completions.get(leaf.usage_key, 0.0) >= 1.0 for leaf in completable_leaves(unit))


def _path(unit) -> str:
    names = [display_name_with_default(node) for node in reversed([unit, *unit.ancestors()])
             if node.block_type != "course"]
    return " > ".join(names)


def sequence_metadata(outline, sequence, course, *, viewer: Viewer, state: LearnerState, hooks,
                      now: datetime) -> dict:
    """The body of ``GET /api/courseware/sequence/{usage_key}``; the three banner rules apply in order.

    1. A sequence gated by a prerequisite: staff see a banner, learners who have not met it
       see the units' names only. 2. Past its due date (the course end when self-paced) a
       sequence that hides after due is hidden, or bannered for staff viewing as a learner.
       3. A sequence that is itself a prerequisite says so until the learner meets it.
    """
    banner_text = None
    is_hidden_after_due = False
    prerequisite_met = True
    gated = {"prereq_id": None, "prereq_url": None, "prereq_section_name": None, "gated": False,
             "gated_section_name": sequence.display_name}
    if state.gate is not None:  # 1. this sequence needs a prerequisite
        if viewer.is_staff:
            banner_text = BANNER_PREREQUISITE_STAFF
        else:
            prereq = outline.get(state.gate.prereq_usage_key)
            prerequisite_met = requirement_met(state.gate, prereq, state)
            if not prerequisite_met:
                gated.update(prereq_id=str(state.gate.prereq_usage_key),
                             prereq_url=f"/courses/{course.course_key}/jump_to/{state.gate.prereq_usage_key}",
                             prereq_section_name=display_name_with_default(prereq), gated=True)
    if prerequisite_met and not viewer.public_view:  # 2. hidden after its due date
        relevant = course.end if course.self_paced else sequence.due
        can_view = viewer.is_staff or not sequence.hide_after_due or relevant is None or relevant > now
        if not can_view:
            if viewer.specific_masquerade:
                banner_text = BANNER_HIDDEN_SELF_PACED if course.self_paced else BANNER_HIDDEN_INSTRUCTOR_PACED
            else:
                is_hidden_after_due = True
    if prerequisite_met and any(not requirement_met(gate, sequence, state) for gate in state.dependent_gates):
        banner_text = BANNER_IS_PREREQUISITE  # 3. this sequence unlocks another one
    units = [child for child in sequence.children if is_visible(child, course, viewer, now)]
    if prerequisite_met:
        items = [_item(unit, viewer, state, hooks) for unit in units]
    else:
        items = [{"id": str(unit.usage_key), "type": unit.block_type, "display_name": display_name_with_default(unit),
                  "is_gated": True, "content": ""} for unit in units]
    return {
        "items": items,
        "element_id": sequence.usage_key.html_id(),
        "item_id": str(sequence.usage_key),
        "is_time_limited": sequence.is_time_limited,
        "is_proctored": sequence.is_proctored_enabled,
        "position": None if viewer.public_view else state.position,
        "tag": sequence.block_type,
        "next_url": None,
        "prev_url": None,
        "banner_text": banner_text,
        "save_position": not viewer.public_view,
        "show_completion": not viewer.public_view,
        "gated_content": gated,
        "sequence_name": sequence.display_name or None,
        "exclude_units": True,
        "gated_sequence_paywall": None,
        "display_name": display_name_with_default(sequence),
        "format": sequence.format or None,
        "is_hidden_after_due": is_hidden_after_due,
        "navigation_disabled": sequence.hide_from_toc,
    }


def sequence_for(usage_key, resolve_viewer, *, preview: bool, anonymous_access: bool, hooks, now: datetime) -> dict:
    """The metadata of the sequence ``usage_key`` for the viewer ``resolve_viewer(course_key)`` returns.

    Refuses with :class:`.CourseUnavailable` or :class:`BlockUnavailable` (answered as not found)
    when the course or block is missing or the viewer may not load it, and with
    :class:`NotASequence` when the block is neither a sequence nor a chapter. The viewer is
    resolved once the block is known to exist. ``preview`` shows drafts to real course staff.
    """
    course = load_course(usage_key.course_key)
    outline = get_outline(course.course_key)
    block = outline.get(usage_key)
    if block is None:
        raise BlockUnavailable(f"No block {usage_key}.")
    viewer = resolve_viewer(course.course_key)
    enrollment = enrollment_of(viewer.user, course)
    access = has_course_access(
        viewer.user, course, enrollment=enrollment,
        is_staff=viewer.is_staff or (viewer.real_is_staff and not viewer.masquerade.specific_learner),
        anonymous_access=anonymous_access)
    sequence_viewer = Viewer(user=viewer.user, is_staff=viewer.is_staff, has_course_access=access,
                             specific_masquerade=viewer.masquerade.specific_learner,
                             preview=preview and viewer.real_is_staff)
    if not is_visible(block, course, sequence_viewer, now):
        raise BlockUnavailable(f"No block {usage_key}.")
    if not provides_sequence_metadata(block):
        raise NotASequence(f"'{usage_key}' is a {block.block_type}, not a sequence.")
    state = load_learner_state(viewer.user, course, outline, block, gating=course.enable_subsection_gating)
    return sequence_metadata(outline, block, course, viewer=sequence_viewer, state=state, hooks=hooks, now=now)


def _item(unit, viewer: Viewer, state: LearnerState, hooks) -> dict:
    authenticated = not viewer.public_view
    item = {
        "content": "",
        "page_title": display_name_with_default(unit),
        "type": hooks.unit_icon_type(unit) or unit_icon(unit),
        "id": str(unit.usage_key),
        "bookmarked": authenticated and unit.usage_key in state.bookmarks,
        "path": _path(unit),
        "graded": unit.graded or bool(unit.parent and unit.parent.graded),
        "contains_content_type_gated_content": bool(authenticated and hooks.contains_gated_content(viewer.user, unit)),
        "href": "",
    }
    if authenticated and unit.block_type == "vertical":
        item["complete"] = unit_complete(unit, state.completions)
    return item

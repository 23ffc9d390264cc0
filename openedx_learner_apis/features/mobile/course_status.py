"""Mobile course status: opening a course in the apps, reading and saving the learner's last visited module.

The rules (access errors, the walk that finds the last visited module, when a save is
skipped as stale) are described in docs/mobile.rst ("course_status_info"). Positions are
``CoursewarePosition`` rows of the progress applet: a 1-based child index per course,
chapter and subsection; the outline is walked in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from ...applets.courses.api import find_course
from ...applets.courses.outline import get_outline
from ...applets.enrollments.api import get_enrollment
from ...applets.progress.course_status import (
    POSITIONED_TYPES,
    get_positions,
    last_completed_block,
    store_positions,
)
from ...core.keys import InvalidKey, parse_course_key, parse_usage_key
from .access import ENROLLMENT_REQUIRED, AccessResult, MobileAccess

__all__ = [
    "CourseNotFound", "NotEnrolled", "NoMobileAccess", "InvalidModule", "MobileCourse", "open_course",
    "visible_children", "last_visited_path", "save_last_visited", "course_status", "update_course_status",
]


class CourseNotFound(LookupError):
    """The course id is malformed or names no course (letter case included)."""


class NotEnrolled(LookupError):
    """The requester is neither enrolled in the course nor staff of it."""


class NoMobileAccess(PermissionError):
    """Another access check failed; ``result`` says which (the apps show its messages)."""

    def __init__(self, result: AccessResult):
        super().__init__(result.developer_message)
        self.result = result


class InvalidModule(ValueError):
    """The module id does not parse, is not a block of this course's outline, or the learner cannot see it."""


@dataclass
class MobileCourse:
    """A course the requester may open in the apps, with the access data that allowed it."""

    course: object
    access: MobileAccess

    @property
    def is_staff(self) -> bool:
        return self.access.is_staff(self.course.course_key)


def open_course(user, course_key_string: str) -> MobileCourse:
    """The course ``course_key_string`` names, once ``user`` passes the mobile access checks.

    Raises :class:`CourseNotFound`, :class:`NotEnrolled` (the apps expect a plain not-found
    there) or :class:`NoMobileAccess`. Course staff pass every check, enrolled or not.
    """
    try:
        course_key = parse_course_key(course_key_string)
    except InvalidKey:
        raise CourseNotFound(course_key_string) from None
    course = find_course(course_key, with_modes=True)  # a key in another letter case names no course
    if course is None:
        raise CourseNotFound(course_key_string)
    enrollment = get_enrollment(user, course.course_key)
    access = MobileAccess(user, [course])
    result = access.check(course, enrollment)
    if not result:
        if result.error_code == ENROLLMENT_REQUIRED:
            raise NotEnrolled(course_key_string)
        raise NoMobileAccess(result)
    return MobileCourse(course, access)


def visible_children(block, *, staff: bool, now: datetime) -> list:
    """Children a learner sees: staff see all; others not staff-only ones nor unreleased ones."""
    if staff:
        return list(block.children)
    return [child for child in block.children
            if not child.visible_to_staff_only and (child.start is None or child.start <= now)]


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

    Every positioned ancestor stores the 1-based index of the child the walk came from (see
    ``store_positions`` for the staleness rule and the signal). Raises :class:`InvalidModule`
    when the block is not in this course or not visible to the learner.
    """
    now = now or timezone.now()
    block = outline.get(block_key)
    if block is None or outline.root is None or not _is_visible(block, staff=staff, now=now):
        raise InvalidModule(f"{block_key} is not a block of {outline.course_key}.")
    wanted, child = {}, block
    for ancestor in block.ancestors():
        if ancestor.block_type in POSITIONED_TYPES:
            wanted[ancestor.usage_key] = _index_of(visible_children(ancestor, staff=staff, now=now), child) + 1
        child = ancestor
    return store_positions(user, outline.course_key, wanted, block_key=block.usage_key,
                           modification_date=modification_date)


def _current_state(user, outline, *, staff: bool) -> dict:
    path = last_visited_path(outline, get_positions(user, outline.course_key), staff=staff, now=timezone.now())
    return {"last_visited_module_id": str(path[0]), "last_visited_module_path": [str(key) for key in path]}


def course_status(user, opened: MobileCourse, *, with_last_block: bool = False) -> dict:
    """The GET answer: the last visited module and its path; v1 adds the last completed block (``""`` if none)."""
    body = _current_state(user, get_outline(opened.course.course_key), staff=opened.is_staff)
    if with_last_block:
        block_key = last_completed_block(user, opened.course.course_key)
        body["last_visited_block_id"] = str(block_key) if block_key else ""
    return body


def update_course_status(user, opened: MobileCourse, module_id: str | None, *,
                         modification_date: datetime | None = None) -> dict:
    """The PATCH answer: save ``module_id`` (unless empty) as the last visited module, then the current state.

    A stale ``modification_date`` saves nothing and still answers the current state; a
    module id that does not parse or names no visible block raises :class:`InvalidModule`.
    """
    outline = get_outline(opened.course.course_key)
    staff = opened.is_staff
    if module_id:
        try:
            block_key = parse_usage_key(module_id)
        except InvalidKey:
            raise InvalidModule(module_id) from None
        save_last_visited(user, outline, block_key, modification_date=modification_date, staff=staff)
    return _current_state(user, outline, staff=staff)

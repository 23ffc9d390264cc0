"""The parsed course: the plain data a reading of an export returns, or the one error it raises instead."""

from __future__ import annotations

from dataclasses import dataclass, field, fields as dataclass_fields
from datetime import datetime

from opaque_keys.edx.keys import CourseKey, UsageKey


class OlxImportError(ValueError):
    """The export is unreadable, malformed, unsafe or past a limit; nothing of it was kept."""


@dataclass
class BlockSettings:
    """The settings every block carries, read from an export or from the stored outline alike."""

    display_name: str
    graded: bool
    format: str
    start: datetime | None
    due: datetime | None
    hide_after_due: bool
    hide_from_toc: bool
    visible_to_staff_only: bool
    is_time_limited: bool
    is_proctored_enabled: bool
    is_practice_exam: bool
    is_onboarding_exam: bool
    default_time_limit_minutes: int | None
    has_score: bool
    weight: float | None


#: The names of :class:`BlockSettings`, for the stored block's columns.
BLOCK_SETTINGS = tuple(setting.name for setting in dataclass_fields(BlockSettings))


@dataclass
class OlxBlock(BlockSettings):
    """One block with its settings resolved: policy overrides applied, inherited values filled in."""

    usage_key: UsageKey
    block_type: str
    parent_key: UsageKey | None
    position: int
    fields: dict = field(default_factory=dict)

    @property
    def block_id(self) -> str:
        return self.usage_key.block_id


@dataclass
class OlxCourse:
    """The course's settings, its blocks in pre-order (root first) and its course-info pages."""

    course_key: CourseKey
    org: str
    number: str
    run: str
    display_name: str
    start: datetime | None
    end: datetime | None
    enrollment_start: datetime | None
    enrollment_end: datetime | None
    advertised_start: str | None
    self_paced: bool
    course_image: str
    language: str
    grade_cutoffs: dict
    grader: list
    certificate_available_date: datetime | None
    certificates_display_behavior: str
    mobile_available: bool
    days_early_for_beta: float | None
    short_description: str
    effort: str
    fields: dict = field(default_factory=dict)
    blocks: list[OlxBlock] = field(default_factory=list)
    info: dict = field(default_factory=dict)  # page name -> info_pages.OlxInfoPage (handouts, updates)

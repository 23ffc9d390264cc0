"""Importing an export into the courses applet: ``import_olx`` reads it whole, then writes it in one transaction.

Reading comes first and refuses the whole export on any problem, so a bad archive changes
nothing. The writes go through the courses applet's API: a re-import updates the course in
place, removes the blocks and info pages the export no longer has, and drops the cached outline.

A caller that shows progress passes ``progress(phase, done, total)``: ``"read"`` after each block
read (``total`` is ``None`` until the last call, when the count is known), then the applet's
``"insert"`` and ``"update"`` phases as it writes (see ``replace_course_content``).
"""

from __future__ import annotations

from opaque_keys.edx.keys import CourseKey

from ..applets.courses.api import replace_course_content
from .course import OlxCourse
from .limits import DEFAULT_LIMITS, OlxLimits
from .reader import read_olx

__all__ = ["import_olx"]


def import_olx(source, *, limits: OlxLimits = DEFAULT_LIMITS, progress=None) -> CourseKey:
    """Import an export (a ``.tar.gz`` path, a directory, a binary file object or bytes); its course key.

    Raises :class:`~.course.OlxImportError` when the export cannot be read within ``limits``.
    ``progress``, when given, is called as described in this module's docstring.
    """
    on_block = None if progress is None else (lambda count: progress("read", count, None))
    parsed = read_olx(source, limits, on_block=on_block)
    if progress is not None:
        progress("read", len(parsed.blocks), len(parsed.blocks))
    replace_course_content(parsed.course_key, fields=course_fields(parsed), blocks=parsed.blocks,
                           info_pages=parsed.info, progress=progress)
    return parsed.course_key


def course_fields(parsed: OlxCourse) -> dict:
    """The course overview's fields from the export's course settings; unset texts are empty strings.

    The course image is a file of the export's ``static/`` folder, served by the LMS as the
    course asset of that name.
    """
    key = parsed.course_key
    return {
        "display_name": parsed.display_name, "start": parsed.start, "end": parsed.end,
        "enrollment_start": parsed.enrollment_start, "enrollment_end": parsed.enrollment_end,
        "advertised_start": parsed.advertised_start or "", "self_paced": parsed.self_paced,
        "course_image_url": parsed.course_image and (
            f"/asset-v1:{key.org}+{key.course}+{key.run}+type@asset+block@{parsed.course_image}"),
        "language": parsed.language or "", "grade_cutoffs": parsed.grade_cutoffs, "grading_policy": parsed.grader,
        "certificate_available_date": parsed.certificate_available_date,
        "certificates_display_behavior": parsed.certificates_display_behavior or "end",
        "mobile_available": parsed.mobile_available, "days_early_for_beta": parsed.days_early_for_beta,
        "short_description": parsed.short_description or "", "effort": parsed.effort or "",
    }

"""Copy a course's catalog information (``COURSE_CATALOG_INFO_CHANGED``) into its course overview.

Studio sends the event each time a course is published or its settings change. It carries
the name, the schedule (start, end, enrollment window, pacing) and two flags; each becomes
its overview field: ``name`` -> ``display_name``, pacing ``self`` -> ``self_paced``,
``invitation_only`` as it is. ``hidden`` says only whether the course stays out of the
catalog (Open edX derives it from ``catalog_visibility`` ``about`` or ``none``): a hidden
course keeps a ``catalog_visibility`` that already hides it and otherwise gets ``none``; a
visible one gets ``both``. The overview is created when missing (without an outline, which
comes from an OLX import). The last event received wins: the event says nothing newer
than the course's current state.
"""

from __future__ import annotations

from datetime import datetime

from ... import api
from ...applets.courses.models import Course
from ...core.keys import as_course_key

HIDING_VISIBILITIES = ("about", "none")


def catalog_visibility(hidden: bool, current: str | None) -> str:
    if not hidden:
        return "both"
    return current if current in HIDING_VISIBILITIES else "none"


def mirror_course_catalog(course_key, *, name: str, start: datetime | None, pacing: str,
                          end: datetime | None = None, enrollment_start: datetime | None = None,
                          enrollment_end: datetime | None = None, hidden: bool = False,
                          invitation_only: bool = False) -> Course:
    """Store the catalog information of one course in its overview; returns the overview."""
    course_key = as_course_key(course_key)
    current = Course.objects.filter(course_key=course_key).values_list("catalog_visibility", flat=True).first()
    fields = {
        "display_name": name or "", "start": start, "end": end, "enrollment_start": enrollment_start,
        "enrollment_end": enrollment_end, "self_paced": pacing == "self", "invitation_only": bool(invitation_only),
        "catalog_visibility": catalog_visibility(bool(hidden), current),
    }
    return api.upsert_course(course_key, **fields)

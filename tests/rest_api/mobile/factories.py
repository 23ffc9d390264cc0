"""Small course outlines for the mobile tests, written straight into ``Block`` rows."""

from __future__ import annotations

from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.api import upsert_course
from openedx_learner_apis.applets.courses.models import Block
from openedx_learner_apis.applets.courses.outline import invalidate_outline


def build_course(course_key: str, outline=((2, 2), (1,)), *, blocks: dict | None = None, **course_fields):
    """A course whose chapters hold subsections holding ``n`` units with one problem each.

    ``outline=((2, 2), (1,))``: chapter 1 has two subsections of two units, chapter 2 one of
    one unit. ``blocks`` maps block ids to extra ``Block`` fields. Returns
    ``(course, keys)`` with ``keys`` mapping ids (``course``, ``ch1``, ``ch1s2``,
    ``ch1s2u1``, ``ch1s2u1p``) to usage keys.
    """
    key = CourseKey.from_string(course_key)
    course_fields.setdefault("mobile_available", True)
    course = upsert_course(key, **course_fields)
    Block.objects.filter(course=course).delete()
    blocks = blocks or {}
    keys, order = {}, [0]

    def add(block_type, block_id, parent, position):
        usage_key = key.make_usage_key(block_type, block_id)
        fields = {"display_name": block_id, **blocks.get(block_id, {})}
        row = Block.objects.create(course=course, usage_key=usage_key, block_type=block_type, parent=parent,
                                   position=position, preorder=order[0], **fields)
        order[0] += 1
        keys[block_id] = usage_key
        return row

    root = add("course", "course", None, 0)
    for chapter_index, subsections in enumerate(outline, start=1):
        chapter = add("chapter", f"ch{chapter_index}", root, chapter_index - 1)
        for sub_index, units in enumerate(subsections, start=1):
            sub_id = f"ch{chapter_index}s{sub_index}"
            subsection = add("sequential", sub_id, chapter, sub_index - 1)
            for unit_index in range(1, units + 1):
                unit = add("vertical", f"{sub_id}u{unit_index}", subsection, unit_index - 1)
                add("problem", f"{sub_id}u{unit_index}p", unit, 0)
    invalidate_outline(key)
    return course, keys

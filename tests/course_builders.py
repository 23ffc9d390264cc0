"""The one builder of test courses and outlines: ``Block`` rows from a tree, the toy course, grid courses.

Every outline a test needs is made by :func:`build_outline` from ``(block_type, block_id,
fields, [children])`` tuples; :func:`toy_course` and :func:`build_course` are two shapes of it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone as dt_timezone

from django.utils import timezone
from opaque_keys.edx.keys import CourseKey

from openedx_learner_apis.api import upsert_course, upsert_course_mode
from openedx_learner_apis.applets.courses.models import Block
from openedx_learner_apis.applets.courses.outline import invalidate_outline

TOY_KEY = "course-v1:edX+toy+2012_Fall"
UTC = dt_timezone.utc


def usage(course_key, block_type, block_id):
    return CourseKey.from_string(str(course_key)).make_usage_key(block_type, block_id)


def build_outline(course, tree, *, parent=None, counter=None, position=0):
    """Create Block rows from ``(block_type, block_id, fields, [children])`` tuples, in preorder."""
    counter = counter if counter is not None else [0]
    block_type, block_id, fields, children = tree
    block = Block.objects.create(course=course, usage_key=usage(course.course_key, block_type, block_id),
                                 block_type=block_type, parent=parent, position=position, preorder=counter[0],
                                 **fields)
    counter[0] += 1
    for index, child in enumerate(children):
        build_outline(course, child, parent=block, counter=counter, position=index)
    invalidate_outline(course.course_key)
    return block


def toy_course(*, course_key=TOY_KEY, units=1, sequence_fields=None, **course_fields):
    """Like Open edX's toy test course: ends 2028, enrollment open 2020..2028, audit + verified ($149, ABCD1234).

    One chapter, one sequence ("sequence"), ``units`` verticals each holding a problem and an html block.
    """
    fields = {
        "display_name": "Toy Course", "start": datetime(2020, 1, 1, tzinfo=UTC),
        "end": datetime(2028, 1, 1, tzinfo=UTC),
        "enrollment_start": datetime(2020, 1, 1, tzinfo=UTC), "enrollment_end": datetime(2028, 1, 1, tzinfo=UTC),
        "certificate_available_date": timezone.now() + timedelta(days=7),
        "certificates_display_behavior": "end_with_date",
        **course_fields,
    }
    course = upsert_course(course_key, **fields)
    upsert_course_mode(course_key, "audit")
    upsert_course_mode(course_key, "verified", min_price=149, sku="ABCD1234",
                       expiration_datetime=datetime(3028, 1, 1, tzinfo=UTC))
    verticals = [
        ("vertical", f"vertical_{index}", {"display_name": "Vertical" if index == 0 else f"Vertical {index}"}, [
            ("problem", f"problem_{index}", {"display_name": "Problem", "has_score": True}, []),
            ("html", f"html_{index}", {"display_name": "Text"}, []),
        ])
        for index in range(units)
    ]
    build_outline(course, ("course", "course", {"display_name": "Toy Course"}, [
        ("chapter", "chapter", {"display_name": "chapter"}, [
            ("sequential", "sequence", {"display_name": "sequence", **(sequence_fields or {})}, verticals),
        ]),
    ]))
    course.refresh_from_db()
    return course


def sequence_key(course_key=TOY_KEY):
    return usage(course_key, "sequential", "sequence")


def unit_key(index=0, course_key=TOY_KEY):
    return usage(course_key, "vertical", f"vertical_{index}")


def build_course(course_key: str, outline=((2, 2), (1,)), *, blocks: dict | None = None, **course_fields):
    """A mobile-available course whose chapters hold subsections holding ``n`` units with one problem each.

    ``outline=((2, 2), (1,))``: chapter 1 has two subsections of two units, chapter 2 one of
    one unit. Every block's display name is its id; ``blocks`` maps block ids to extra
    ``Block`` fields. Replaces any outline the course had. Returns ``(course, keys)`` with
    ``keys`` mapping ids (``course``, ``ch1``, ``ch1s2``, ``ch1s2u1``, ``ch1s2u1p``) to usage keys.
    """
    key = CourseKey.from_string(course_key)
    course_fields.setdefault("mobile_available", True)
    course = upsert_course(key, **course_fields)
    Block.objects.filter(course=course).delete()
    blocks = blocks or {}

    def node(block_type, block_id, children=()):
        return block_type, block_id, {"display_name": block_id, **blocks.get(block_id, {})}, list(children)

    chapters = []
    for chapter_index, subsections in enumerate(outline, start=1):
        sequences = []
        for sub_index, units in enumerate(subsections, start=1):
            sub_id = f"ch{chapter_index}s{sub_index}"
            sequences.append(node("sequential", sub_id, [
                node("vertical", f"{sub_id}u{unit}", [node("problem", f"{sub_id}u{unit}p")])
                for unit in range(1, units + 1)]))
        chapters.append(node("chapter", f"ch{chapter_index}", sequences))
    tree = node("course", "course", chapters)
    build_outline(course, tree)
    return course, _keys_of(key, tree)


def _keys_of(course_key, tree) -> dict:
    """``{block id: usage key}`` of every node of a ``build_outline`` tree."""
    block_type, block_id, _, children = tree
    keys = {block_id: course_key.make_usage_key(block_type, block_id)}
    for child in children:
        keys.update(_keys_of(course_key, child))
    return keys

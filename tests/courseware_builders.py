"""Builders of courseware test data: a toy course (the courseware tests' fixture) and outlines of any size."""

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

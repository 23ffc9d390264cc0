"""What the schema declares a route accepts is what it accepts: celebration keys, key patterns.

A schema fuzzer takes the declarations at their word: a value matching a declared pattern
must be looked up (2xx or 404), never refused as malformed (400), and a celebration body
with another key is refused, as the schema's ``additionalProperties: false`` says.
"""

from __future__ import annotations

import re

import pytest

from openedx_learner_apis.core.keys import InvalidKey, as_course_key, parse_usage_key
from tests.robustness.openapi import api_schema

SEQUENCE = "/api/courseware/sequence/{usage_key_string}"
BADGES = "/api/badges/v1/assertions/user/{username}/"
CELEBRATION = "/api/courseware/celebration/{course_key_string}"


def parameter_schema(path: str, name: str) -> dict:
    operation = api_schema()["paths"][path]["get"]
    return next(parameter["schema"] for parameter in operation["parameters"] if parameter["name"] == name)


def test_celebration_body_declares_only_its_two_keys():
    """The view answers 400 to any other key (``Unknown fields: ...``), so the schema must say so."""
    body = api_schema()["paths"][CELEBRATION]["post"]["requestBody"]["content"]["application/json"]["schema"]
    celebration = api_schema()["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert set(celebration["properties"]) == {"first_section", "weekly_goal"}
    assert celebration["additionalProperties"] is False


MATCHING_USAGE_KEYS = [
    "block-v1:OpenedX+DemoX+DemoCourse+type@sequential+block@basic_questions",
    "block-v1:a+b+c+branch@published-branch+type@chapter+block@x",
    "block-v1:a+b+c+version@0123456789abcdef01234567+type@sequential+block@x.y~z-1",
    "ccx-block-v1:a+b+c+ccx@12+type@sequential+block@x",
]
NON_MATCHING_USAGE_KEYS = ["i4x://OpenedX/DemoX/sequential/x", "0",
                           "block-v1:a+b+type@html+block@c", ""]


@pytest.mark.parametrize("value", MATCHING_USAGE_KEYS)
def test_every_usage_key_the_pattern_admits_parses(value):
    pattern = parameter_schema(SEQUENCE, "usage_key_string")["pattern"]
    assert re.search(pattern, value)
    parse_usage_key(value)  # no InvalidKey: the sequence route looks it up (200 or 404)


@pytest.mark.parametrize("value", NON_MATCHING_USAGE_KEYS)
def test_usage_keys_the_route_refuses_do_not_match(value):
    pattern = parameter_schema(SEQUENCE, "usage_key_string")["pattern"]
    assert not re.search(pattern, value)
    with pytest.raises(InvalidKey):
        parse_usage_key(value)


MATCHING_COURSE_IDS = ["", "*", "course-v1:OpenedX+DemoX+DemoCourse", "course-v1:a+b+c+branch@draft",
                       "ccx-v1:a+b+c+ccx@3", "library-v1:org+lib", "edX/DemoX/Demo_Course"]


@pytest.mark.parametrize("value", MATCHING_COURSE_IDS)
def test_every_course_id_the_badges_pattern_admits_is_accepted(value):
    pattern = parameter_schema(BADGES, "course_id")["pattern"]
    assert re.search(pattern, value)
    if value not in ("", "*"):
        as_course_key(value)


@pytest.mark.parametrize("value", ["Ýõ", "course-v1:a+b", "a/b", "course-v1:a b+c+d"])
def test_course_ids_badges_refuse_do_not_match(value):
    pattern = parameter_schema(BADGES, "course_id")["pattern"]
    assert not re.search(pattern, value)
    with pytest.raises(InvalidKey):
        as_course_key(value)

"""Course and usage keys: parsing strings from HTTP and Python API arguments, one exception for both."""

from __future__ import annotations

import pytest
from opaque_keys.edx.keys import CourseKey, UsageKey

from openedx_learner_apis import api
from openedx_learner_apis.core.keys import InvalidKey, as_course_key, as_usage_key, parse_course_key, parse_usage_key

COURSE = "course-v1:edX+DemoX+Demo_Course"
BLOCK = "block-v1:edX+DemoX+Demo_Course+type@sequential+block@basic_questions"


@pytest.mark.parametrize("value", [COURSE, "edX/DemoX/Demo_Course", "course-v1:Org+Num+2024_T1"])
def test_parse_course_key(value):
    key = parse_course_key(value)
    assert isinstance(key, CourseKey)
    assert str(key) == value


@pytest.mark.parametrize("value", ["", "not a key", "course-v1:edX+DemoX", "course-v1:edX+Demo X+run", None, 42,
                                   BLOCK, "course-v1:edX+DemoX+Demo_Course+extra"])
def test_malformed_course_key(value):
    with pytest.raises(InvalidKey, match="is not a valid course key"):
        parse_course_key(value)


def test_malformed_key_is_a_value_error():
    assert issubclass(InvalidKey, ValueError)


def test_parse_usage_key():
    key = parse_usage_key(BLOCK)
    assert isinstance(key, UsageKey)
    assert key.block_type == "sequential"
    assert key.course_key == CourseKey.from_string(COURSE)


def test_an_old_style_usage_key_names_no_course_run():
    with pytest.raises(InvalidKey, match="names no course run"):
        parse_usage_key("i4x://edX/DemoX/sequential/basic_questions")


@pytest.mark.parametrize("value", ["", "block-v1:edX+DemoX", "block-v1:edX+DemoX+Demo_Course+type@x", COURSE, None,
                                   42, "not a key"])
def test_malformed_usage_key(value):
    with pytest.raises(InvalidKey, match="is not a valid usage key"):
        parse_usage_key(value)


def test_python_api_arguments_pass_keys_through_and_parse_strings():
    key = CourseKey.from_string(COURSE)
    assert as_course_key(key) is key
    assert as_course_key(COURSE) == key
    assert as_usage_key(BLOCK) == UsageKey.from_string(BLOCK)


@pytest.mark.parametrize(("convert", "message"), [(as_course_key, "is not a valid course key"),
                                                  (as_usage_key, "is not a valid usage key")])
def test_python_api_arguments_raise_the_same_exception_as_http_input(convert, message):
    with pytest.raises(InvalidKey, match=message):
        convert("nope")
    assert api.InvalidKey is InvalidKey

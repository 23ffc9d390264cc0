"""Opaque keys at the HTTP edge: parse helpers, path converters, serializer fields."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.urls import Resolver404, path, register_converter, resolve, reverse
from opaque_keys.edx.keys import CourseKey, UsageKey
from rest_framework import serializers

from openedx_learner_apis.rest_api.common.keys import (
    CourseKeyConverter,
    CourseKeyField,
    MalformedKey,
    UsageKeyConverter,
    UsageKeyField,
    parse_course_key,
    parse_usage_key,
)

COURSE = "course-v1:edX+DemoX+Demo_Course"
BLOCK = "block-v1:edX+DemoX+Demo_Course+type@sequential+block@basic_questions"

register_converter(CourseKeyConverter, "olapi_test_course_key")
register_converter(UsageKeyConverter, "olapi_test_usage_key")


def key_view(request, **kwargs):
    return HttpResponse()


urlpatterns = [
    path("course/<olapi_test_course_key:course_key>/", key_view, name="course"),
    path("block/<olapi_test_usage_key:usage_key>/", key_view, name="block"),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.mark.parametrize("value", [COURSE, "edX/DemoX/Demo_Course", "course-v1:Org+Num+2024_T1"])
def test_parse_course_key(value):
    key = parse_course_key(value)
    assert isinstance(key, CourseKey)
    assert str(key) == value


@pytest.mark.parametrize("value", ["", "not a key", "course-v1:edX+DemoX", "course-v1:edX+Demo X+run", None, 42,
                                   BLOCK, "course-v1:edX+DemoX+Demo_Course+extra"])
def test_malformed_course_key(value):
    with pytest.raises(MalformedKey, match="is not a valid course key"):
        parse_course_key(value)


def test_malformed_key_is_a_value_error():
    assert issubclass(MalformedKey, ValueError)


def test_parse_usage_key():
    key = parse_usage_key(BLOCK)
    assert isinstance(key, UsageKey)
    assert key.block_type == "sequential"
    assert key.course_key == CourseKey.from_string(COURSE)


def test_an_old_style_usage_key_names_no_course_run():
    with pytest.raises(MalformedKey, match="names no course run"):
        parse_usage_key("i4x://edX/DemoX/sequential/basic_questions")


@pytest.mark.parametrize("value", ["", "block-v1:edX+DemoX", "block-v1:edX+DemoX+Demo_Course+type@x", COURSE, None,
                                   42, "not a key"])
def test_malformed_usage_key(value):
    with pytest.raises(MalformedKey, match="is not a valid usage key"):
        parse_usage_key(value)


def test_course_key_converter_hands_the_view_a_key():
    match = resolve(f"/course/{COURSE}/")
    assert match.kwargs == {"course_key": CourseKey.from_string(COURSE)}
    assert reverse("course", kwargs={"course_key": CourseKey.from_string(COURSE)}) == f"/course/{COURSE}/"


def test_usage_key_converter_hands_the_view_a_key():
    match = resolve(f"/block/{BLOCK}/")
    assert match.kwargs == {"usage_key": UsageKey.from_string(BLOCK)}
    assert reverse("block", kwargs={"usage_key": UsageKey.from_string(BLOCK)}) == f"/block/{BLOCK}/"


@pytest.mark.parametrize("url", ["/course/course-v1:edX+Demo X+run/", "/course/a+b+c+d/", "/course/nope/",
                                 "/block/block-v1:nope/", f"/block/{COURSE}/"])
def test_malformed_key_in_path_does_not_match(url):
    with pytest.raises(Resolver404):
        resolve(url)


def test_converters_to_python_raise_value_error():
    with pytest.raises(ValueError):
        CourseKeyConverter().to_python("a+b+")
    with pytest.raises(ValueError):
        UsageKeyConverter().to_python("block-v1:x")


class KeySerializer(serializers.Serializer):
    course_id = CourseKeyField()
    block_id = UsageKeyField(required=False)


def test_fields_parse_and_render():
    serializer = KeySerializer(data={"course_id": COURSE, "block_id": BLOCK})
    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"course_id": CourseKey.from_string(COURSE),
                                         "block_id": UsageKey.from_string(BLOCK)}
    assert KeySerializer(serializer.validated_data).data == {"course_id": COURSE, "block_id": BLOCK}


def test_fields_reject_malformed_keys_with_a_message():
    serializer = KeySerializer(data={"course_id": "nope", "block_id": "also nope"})
    assert not serializer.is_valid()
    assert serializer.errors == {"course_id": ["'nope' is not a valid course key."],
                                 "block_id": ["'also nope' is not a valid usage key."]}
    assert serializer.errors["course_id"][0].code == "invalid"

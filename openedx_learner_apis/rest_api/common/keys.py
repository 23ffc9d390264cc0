"""Opaque keys at the HTTP edge: parsing helpers, path converters and serializer fields.

A malformed key becomes the 4xx its family documents, never a 500. A key that names no
course run (an old ``i4x://`` usage key) is malformed too: no course can be looked up from it.
"""

from __future__ import annotations

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey
from rest_framework import serializers


class MalformedKey(ValueError):
    """A course or usage key string that does not parse."""


def _names_a_run(course_key) -> bool:
    """False for the run-less course of an old ``i4x://`` location: it matches no course and cannot be printed."""
    return not (getattr(course_key, "deprecated", False) and getattr(course_key, "run", "") is None)


def parse_course_key(value: str) -> CourseKey:
    try:
        key = CourseKey.from_string(value)
    except (InvalidKeyError, AttributeError, TypeError, ValueError) as exc:  # non-strings too
        raise MalformedKey(f"'{value}' is not a valid course key.") from exc
    if not _names_a_run(key):
        raise MalformedKey(f"'{value}' names no course run.")
    return key


def parse_usage_key(value: str) -> UsageKey:
    try:
        key = UsageKey.from_string(value)
    except (InvalidKeyError, AttributeError, TypeError, ValueError) as exc:  # non-strings too
        raise MalformedKey(f"'{value}' is not a valid usage key.") from exc
    if not _names_a_run(key.course_key):
        raise MalformedKey(f"'{value}' names no course run.")
    return key


class CourseKeyConverter:
    """``<course_key:course_key>``: hands the view a ``CourseKey``; a bad key does not match."""

    regex = r"[^/+]+(/|\+)[^/+]+(/|\+)[^/?]+"

    def to_python(self, value):
        try:
            return parse_course_key(value)
        except MalformedKey as exc:
            raise ValueError(str(exc)) from exc

    def to_url(self, value):
        return str(value)


class UsageKeyConverter(CourseKeyConverter):
    """``<usage_key:usage_key>``: hands the view a ``UsageKey``."""

    regex = r"[^/]+"

    def to_python(self, value):
        try:
            return parse_usage_key(value)
        except MalformedKey as exc:
            raise ValueError(str(exc)) from exc


class CourseKeyField(serializers.Field):
    """A course key in JSON: a string outside, a ``CourseKey`` inside."""

    default_error_messages = {"invalid": "'{value}' is not a valid course key."}

    def to_representation(self, value):
        return str(value)

    def to_internal_value(self, data):
        try:
            return parse_course_key(str(data))
        except MalformedKey:
            self.fail("invalid", value=data)


class UsageKeyField(CourseKeyField):
    """A usage key in JSON: a string outside, a ``UsageKey`` inside."""

    default_error_messages = {"invalid": "'{value}' is not a valid usage key."}

    def to_internal_value(self, data):
        try:
            return parse_usage_key(str(data))
        except MalformedKey:
            self.fail("invalid", value=data)


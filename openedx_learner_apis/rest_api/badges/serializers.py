"""The JSON shape of a badge assertion and its badge class (see ``docs/badges.rst``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


# A badge class as Open edX showed it; the icon's URL is absolute when a request is in the context.
# (No docstrings on these classes: drf-spectacular would publish them as schema descriptions.)
class BadgeClassSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=255)
    issuing_component = serializers.SlugField(max_length=50, allow_blank=True, required=False)
    display_name = serializers.CharField(max_length=255)
    course_id = serializers.SerializerMethodField(help_text="The course key, or null for a badge of no course.")
    description = serializers.CharField()
    criteria = serializers.CharField()
    image_url = serializers.SerializerMethodField(help_text="Absolute URL of the badge class icon.")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_course_id(self, badge_class) -> str | None:
        return str(badge_class.course_key) if badge_class.course_key else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, badge_class) -> str | None:
        if not badge_class.image:
            return None
        url = badge_class.image.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


# One award: the badge class, the baked image and the assertion's URL, and when it was awarded.
class BadgeAssertionSerializer(serializers.Serializer):
    badge_class = BadgeClassSerializer(read_only=True)
    image_url = serializers.URLField(max_length=1024)
    assertion_url = serializers.URLField(max_length=1024)
    created = serializers.DateTimeField(read_only=True)


class BadgesErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()

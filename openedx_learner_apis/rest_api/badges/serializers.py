"""The JSON shape of a badge assertion and its badge class (badges spec §5)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...applets.badges.models import BadgeAssertion, BadgeClass


class BadgeClassSerializer(serializers.ModelSerializer):
    course_id = serializers.SerializerMethodField(help_text="The course key, or null for a badge of no course.")
    image_url = serializers.SerializerMethodField(help_text="Absolute URL of the badge class icon.")

    class Meta:
        model = BadgeClass
        fields = ["slug", "issuing_component", "display_name", "course_id", "description", "criteria", "image_url"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_course_id(self, badge_class: BadgeClass) -> str | None:
        return str(badge_class.course_key) if badge_class.course_key else None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_image_url(self, badge_class: BadgeClass) -> str | None:
        if not badge_class.image:
            return None
        url = badge_class.image.url
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class BadgeAssertionSerializer(serializers.ModelSerializer):
    badge_class = BadgeClassSerializer(read_only=True)

    class Meta:
        model = BadgeAssertion
        fields = ["badge_class", "image_url", "assertion_url", "created"]


class BadgesErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()

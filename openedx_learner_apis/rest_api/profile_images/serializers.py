"""Bodies of the profile image endpoints, for the OpenAPI schema (successes have none)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.BINARY)
class BinaryFileField(serializers.FileField):
    """An uploaded file, documented as the file's bytes (``format: binary``) rather than a URL."""


class ProfileImageUploadSerializer(serializers.Serializer):
    """The multipart form of an upload: one file field."""

    file = BinaryFileField(help_text="A JPEG, PNG or GIF image (a multi-picture JPEG counts as a JPEG).")


class ProfileImageErrorSerializer(serializers.Serializer):
    """Every error of the three routes: Open edX's developer-error shape."""

    developer_message = serializers.CharField(help_text="What went wrong, for the developer of the client.")
    user_message = serializers.CharField(help_text="A translated sentence to show the learner.")
    error_code = serializers.CharField(required=False, help_text="DRF's code for errors raised by the framework.")

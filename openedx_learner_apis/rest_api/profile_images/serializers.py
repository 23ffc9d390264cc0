"""Bodies of the profile image endpoints, for the OpenAPI schema (successes have none)."""

from __future__ import annotations

from rest_framework import serializers


class ProfileImageErrorSerializer(serializers.Serializer):
    """Every error of the three routes: Open edX's developer-error shape."""

    developer_message = serializers.CharField(help_text="What went wrong, for the developer of the client.")
    user_message = serializers.CharField(required=False, help_text="A translated sentence to show the learner.")
    error_code = serializers.CharField(required=False, help_text="DRF's code for errors raised by the framework.")

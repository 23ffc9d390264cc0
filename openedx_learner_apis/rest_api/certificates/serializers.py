"""The JSON shapes of a certificate: the detail route's and a list item's (see ``docs/certificates.rst``)."""

from __future__ import annotations

from rest_framework import serializers


class UserCertificateSerializer(serializers.Serializer):
    """One certificate of one course (the detail route)."""

    username = serializers.CharField()
    course_id = serializers.CharField(source="course_key")
    certificate_type = serializers.CharField(help_text="The certificate's mode: honor, verified, professional...")
    created_date = serializers.DateTimeField()
    status = serializers.CharField()
    is_passing = serializers.BooleanField()
    download_url = serializers.CharField(allow_null=True, help_text=(
        "The PDF URL, or /certificates/<uuid> for a web certificate, or \"\"; null unless downloadable."))
    grade = serializers.CharField()


class UserCertificateListItemSerializer(serializers.Serializer):
    """One certificate in a learner's list, with its course's display name and organization."""

    username = serializers.CharField()
    course_id = serializers.CharField(source="course_key")
    course_display_name = serializers.CharField()
    course_organization = serializers.CharField()
    certificate_type = serializers.CharField()
    created_date = serializers.DateTimeField()
    modified_date = serializers.DateTimeField()
    status = serializers.CharField()
    is_passing = serializers.BooleanField()
    download_url = serializers.CharField(allow_null=True)
    grade = serializers.CharField()


class CertificateErrorCodeSerializer(serializers.Serializer):
    error_code = serializers.ChoiceField(
        choices=["course_id_not_valid", "no_certificate_for_user", "no_certificate_configuration_for_course"])


class CertificatesAuthErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()

"""The JSON shapes of a certificate: the detail route's and a list item's (see ``docs/certificates.rst``)."""

from __future__ import annotations

from rest_framework import serializers


class CertificateSerializer(serializers.Serializer):
    """A certificate's fields, declared once for every shape; a shape names its keys, in order, in ``keys``.

    The detail and the list item show the same certificate: they differ only in which keys they show,
    where, and how the schema documents two of them. Not a response shape itself.
    """

    keys: tuple[str, ...] = ()

    username = serializers.CharField()
    course_id = serializers.CharField(source="course_key")
    certificate_type = serializers.CharField()
    download_url = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    is_passing = serializers.BooleanField()
    grade = serializers.CharField()
    created_date = serializers.DateTimeField()

    def get_fields(self):
        fields = super().get_fields()
        return {name: fields[name] for name in self.keys}


class UserCertificateSerializer(CertificateSerializer):
    """One certificate of one course (the detail route)."""

    keys = ("username", "course_id", "certificate_type", "created_date", "status", "is_passing", "download_url",
            "grade")
    certificate_type = serializers.CharField(help_text="The certificate's mode: honor, verified, professional...")
    download_url = serializers.CharField(allow_null=True, help_text=(
        "The PDF URL, or /certificates/<uuid> for a web certificate, or \"\"; null unless downloadable."))


class UserCertificateListItemSerializer(CertificateSerializer):
    """One certificate in a learner's list, with its course's display name and organization."""

    keys = ("username", "course_id", "course_display_name", "course_organization", "certificate_type",
            "created_date", "modified_date", "status", "is_passing", "download_url", "grade")
    course_display_name = serializers.CharField()
    course_organization = serializers.CharField()
    modified_date = serializers.DateTimeField()


class CertificateErrorCodeSerializer(serializers.Serializer):
    error_code = serializers.ChoiceField(
        choices=["course_id_not_valid", "no_certificate_for_user", "no_certificate_configuration_for_course"])


class CertificatesAuthErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()

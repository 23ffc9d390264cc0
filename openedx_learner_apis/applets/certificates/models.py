"""Course certificates earned by learners."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from opaque_keys.edx.django.models import CourseKeyField

from ...core.versions import LearnerRowsQuerySet


class CertificateStatuses:
    """The statuses a certificate goes through (the Open edX names)."""

    downloadable = "downloadable"
    notpassing = "notpassing"
    unavailable = "unavailable"
    generating = "generating"
    error = "error"
    restricted = "restricted"
    audit_passing = "audit_passing"
    audit_notpassing = "audit_notpassing"
    unverified = "unverified"
    invalidated = "invalidated"
    requesting = "requesting"
    deleted = "deleted"
    deleting = "deleting"
    honor_passing = "honor_passing"
    auditing = "auditing"
    proctoring_review_pending = "proctoring_review_pending"
    proctoring_failed = "proctoring_failed"
    proctoring_error = "proctoring_error"

    # What Open edX calls passing (``is_passing_status``); ``unverified`` is not.
    PASSED = frozenset({downloadable, generating})
    # Audit results are never shown as certificates (Open edX ``eligible_certificates``).
    INELIGIBLE = frozenset({audit_passing, audit_notpassing})
    ALL = frozenset({downloadable, notpassing, unavailable, generating, error, restricted, audit_passing,
                     audit_notpassing, unverified, invalidated, requesting, deleted, deleting, honor_passing,
                     auditing, proctoring_review_pending, proctoring_failed, proctoring_error})


class Certificate(models.Model):
    """A learner's certificate for a course (one per learner and course).

    .. pii: The name printed on the certificate.
    .. pii_types: name
    .. pii_retirement: local_api
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_certificates")
    course_key = CourseKeyField(max_length=255)
    verify_uuid = models.CharField(max_length=32, blank=True, default="", db_index=True)
    grade = models.CharField(max_length=5, blank=True, default="")
    distinction = models.BooleanField(default=False)
    status = models.CharField(max_length=32, default=CertificateStatuses.unavailable)
    mode = models.CharField(max_length=32, default="honor")
    name = models.CharField(max_length=255, blank=True)
    download_uuid = models.CharField(max_length=32, blank=True, default="")
    download_url = models.CharField(max_length=128, blank=True, default="")
    error_reason = models.CharField(max_length=512, blank=True, default="")
    created_date = models.DateTimeField(auto_now_add=True)
    modified_date = models.DateTimeField(auto_now=True)

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course_key"], name="olapi_certificate_uniq")]

    def __str__(self):
        return f"{self.user_id}:{self.course_key}:{self.status}"

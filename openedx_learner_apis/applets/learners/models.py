"""Learner profile and preferences: the inputs of visibility rules and profile images."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LearnerProfile(models.Model):
    """What this app knows about a learner beyond ``auth.User``.

    .. pii: The learner's full name, year of birth and when a profile image was uploaded.
    .. pii_types: name, birth_date, image
    .. pii_retirement: local_api
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile")
    name = models.CharField(max_length=255, blank=True, db_index=True)
    year_of_birth = models.PositiveIntegerField(null=True, blank=True)
    profile_image_uploaded_at = models.DateTimeField(null=True, blank=True)
    # Part of the stored image file names, so a replace never overwrites served files.
    profile_image_version = models.CharField(max_length=32, blank=True)

    def __str__(self):
        return f"profile of {self.user_id}"

    @property
    def has_profile_image(self) -> bool:
        return self.profile_image_uploaded_at is not None


class UserPreference(models.Model):
    """A key/value preference (``account_privacy``, ``visibility.<field>``, ``time_zone``...).

    .. pii: Preference values may reveal a learner's time zone or privacy choices.
    .. pii_types: other
    .. pii_retirement: local_api
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_preferences")
    key = models.CharField(max_length=255)
    value = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="olapi_pref_user_key_uniq")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"

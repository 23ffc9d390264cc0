"""Learner profile and preferences: the inputs of visibility rules and profile images."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ...core.versions import LearnerRowsQuerySet


class LearnerProfile(models.Model):
    """What this app knows about a learner beyond ``auth.User``: the editable account fields.

    ``language_proficiencies`` holds ISO 639-1 codes, sorted; ``social_links`` maps a platform
    (``facebook``, ``twitter``, ``linkedin``) to the URL built from what the learner entered.
    Empty strings mean "not set".

    .. pii: The learner's full name, year of birth, "about me" text, country, spoken languages,
       education level, social network profile links, and when a profile image was uploaded.
    .. pii_types: name, birth_date, biography, location, external_service, image, other
    .. pii_retirement: local_api
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile")
    name = models.CharField(max_length=255, blank=True, db_index=True)
    year_of_birth = models.PositiveIntegerField(null=True, blank=True)
    bio = models.TextField(blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="")
    level_of_education = models.CharField(max_length=6, blank=True, default="")
    language_proficiencies = models.JSONField(default=list, blank=True)
    social_links = models.JSONField(default=dict, blank=True)
    profile_image_uploaded_at = models.DateTimeField(null=True, blank=True)
    # Part of the stored image file names, so a replace never overwrites served files.
    profile_image_version = models.CharField(max_length=32, blank=True)

    objects = LearnerRowsQuerySet.as_manager()

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

    objects = LearnerRowsQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="olapi_pref_user_key_uniq")]

    def __str__(self):
        return f"{self.user_id}:{self.key}"

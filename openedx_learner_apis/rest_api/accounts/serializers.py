"""The account object in Open edX's shape, and the bodies of the account and preference routes.

``account_data`` builds the answer; the serializer classes describe it for the OpenAPI
schema. Owners and staff see every field; anyone else sees the fields the learner shares
(see ``applets.learners.visibility``), never the email address.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from ...applets.learners.accounts import (
    BIO_MAX_LENGTH,
    EDUCATION_LEVELS,
    NAME_MAX_LENGTH,
    SOCIAL_PLATFORMS,
    social_links_list,
)
from ...applets.learners.codes import COUNTRY_CODES, LANGUAGE_CODES
from ...applets.learners.visibility import profile_visibility, requires_parental_consent, visible_fields
from ...applets.profile_images.api import get_profile_image_urls
from ...conf import learner_apis_settings

ACCOUNT_FIELDS = (
    "username", "name", "email", "profile_image", "bio", "country", "language_proficiencies", "level_of_education",
    "social_links", "year_of_birth", "requires_parental_consent", "account_privacy", "accomplishments_shared",
    "date_joined", "is_active",
)
# Fields only the owner and staff ever see, whatever the visibility configuration lists.
PRIVATE_FIELDS = frozenset({"email"})


def _profile_of(user):
    try:
        return user.learner_profile
    except ObjectDoesNotExist:
        return None


def account_data(user, *, request, preferences: dict[str, str], full: bool) -> dict:
    """The account of ``user`` as ``request``'s requester may see it.

    ``preferences`` are the user's visibility preferences (``visibility_preferences_of``);
    ``full`` is for the owner and staff. Empty text fields read ``null``, as on Open edX.
    """
    profile = _profile_of(user)
    data = {
        "username": user.username,
        "name": profile.name if profile else "",
        "email": user.email,
        "profile_image": get_profile_image_urls(user, request.build_absolute_uri),
        "bio": (profile.bio or None) if profile else None,
        "country": (profile.country or None) if profile else None,
        "language_proficiencies": [{"code": code} for code in (profile.language_proficiencies if profile else [])],
        "level_of_education": (profile.level_of_education or None) if profile else None,
        "social_links": social_links_list(profile.social_links if profile else {}),
        "year_of_birth": profile.year_of_birth if profile else None,
        "requires_parental_consent": requires_parental_consent(profile),
        "account_privacy": profile_visibility(profile, preferences),
        # Badges are shown on profiles wherever the badges routes are served.
        "accomplishments_shared": learner_apis_settings.URL_PREFIXES.get("badges") is not None,
        # Clients parse seconds without fractions.
        "date_joined": user.date_joined.replace(microsecond=0),
        "is_active": user.is_active,
    }
    if full:
        return data
    shared = visible_fields(user, preferences=preferences, profile=profile) - PRIVATE_FIELDS
    return {field: value for field, value in data.items() if field in shared}


class ProfileImageSerializer(serializers.Serializer):
    has_image = serializers.BooleanField(help_text="Whether the learner uploaded an image; else the URLs are "
                                                   "the placeholders.")
    image_url_full = serializers.URLField(help_text="One `image_url_<size>` per PROFILE_IMAGE_SIZES_MAP entry "
                                                    "(full, large, medium, small by default).")
    image_url_large = serializers.URLField()
    image_url_medium = serializers.URLField()
    image_url_small = serializers.URLField()


class LanguageProficiencySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="An ISO 639-1 language code.")


class SocialLinkSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=list(SOCIAL_PLATFORMS))
    social_link = serializers.URLField()


class AccountSerializer(serializers.Serializer):
    """An account; fields the requester may not see are absent."""

    username = serializers.CharField()
    name = serializers.CharField()
    email = serializers.EmailField(required=False, help_text="Only to the owner and staff.")
    profile_image = ProfileImageSerializer()
    bio = serializers.CharField(allow_null=True, max_length=BIO_MAX_LENGTH)
    country = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-2 code.")
    language_proficiencies = LanguageProficiencySerializer(many=True)
    level_of_education = serializers.ChoiceField(choices=list(EDUCATION_LEVELS), allow_null=True)
    social_links = SocialLinkSerializer(many=True)
    year_of_birth = serializers.IntegerField(allow_null=True)
    requires_parental_consent = serializers.BooleanField()
    account_privacy = serializers.ChoiceField(choices=["private", "all_users", "custom"])
    accomplishments_shared = serializers.BooleanField(help_text="Whether badges are shown on profiles.")
    date_joined = serializers.DateTimeField()
    is_active = serializers.BooleanField()

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.required = False
        return fields


class LanguageCodeSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=sorted(LANGUAGE_CODES), help_text="An ISO 639-1 language code.")


class SocialLinkUpdateSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=list(SOCIAL_PLATFORMS))
    social_link = serializers.CharField(allow_blank=True, allow_null=True, help_text=(
        "A handle or a profile URL on that platform; blank removes the platform. Each platform once."))


class AccountUpdateSerializer(serializers.Serializer):
    """The fields a merge patch may carry; ``null`` clears one (not ``name``)."""

    name = serializers.CharField(required=False, min_length=1, max_length=NAME_MAX_LENGTH,
                                 help_text="Without `<`, `>` or a URL.")
    bio = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=BIO_MAX_LENGTH)
    country = serializers.ChoiceField(choices=[*sorted(COUNTRY_CODES), ""], required=False, allow_null=True,
                                      help_text="ISO 3166-1 alpha-2 code; blank clears it.")
    language_proficiencies = LanguageCodeSerializer(many=True, required=False, allow_null=True,
                                                    help_text="Each language once; replaces the stored list.")
    level_of_education = serializers.ChoiceField(choices=[*EDUCATION_LEVELS, ""], required=False, allow_null=True)
    social_links = SocialLinkUpdateSerializer(many=True, required=False, allow_null=True)
    year_of_birth = serializers.IntegerField(required=False, allow_null=True,
                                             help_text="From 120 years ago to this year.")


class FieldErrorSerializer(serializers.Serializer):
    developer_message = serializers.CharField()
    user_message = serializers.CharField()


class FieldErrorsSerializer(serializers.Serializer):
    """A refused update: every bad field with its two messages; nothing was written."""

    field_errors = serializers.DictField(child=FieldErrorSerializer())


class AccountErrorSerializer(serializers.Serializer):
    """Every other error: Open edX's developer-error shape."""

    developer_message = serializers.CharField()
    user_message = serializers.CharField(required=False)
    error_code = serializers.CharField(required=False)


class PreferencesSerializer(serializers.Serializer):
    """``{key: value}``: ``account_privacy``, ``time_zone`` and ``visibility.<field>`` keys (for example
    ``visibility.bio``, ``private`` or ``all_users``). In an update, ``null`` deletes a key."""

    account_privacy = serializers.ChoiceField(choices=["private", "all_users", "custom"], required=False,
                                              allow_null=True)
    time_zone = serializers.CharField(required=False, allow_null=True, help_text="An IANA time zone name.")


class PreferencesUpdateSerializer(PreferencesSerializer):
    """A preferences merge patch (see ``PreferencesUpdateScheme``)."""


class PreferencesUpdateScheme(OpenApiSerializerExtension):
    """The update body's schema: an object whose other keys are ``visibility.<field>``."""

    target_class = PreferencesUpdateSerializer

    def map_serializer(self, auto_schema, direction):
        return {
            "type": "object",
            "properties": {
                "account_privacy": {"type": "string", "enum": ["private", "all_users", "custom"], "nullable": True},
                "time_zone": {"type": "string", "nullable": True, "description": "An IANA time zone name."},
            },
            "additionalProperties": {"type": "string", "enum": ["private", "all_users"], "nullable": True,
                                     "description": "visibility.<field>: who sees that field of a custom profile."},
        }

"""The account fields a learner edits, and how an update is checked (Open edX's account rules).

An update is checked whole before anything is written: every bad field is reported at once,
in Open edX's ``field_errors`` shape (``{field: {"developer_message", "user_message"}}``), and
a request with any error changes nothing. Fields the account shows but this app does not let
clients write are refused by name rather than ignored, so a client never believes a value
was saved when it was not.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from .codes import COUNTRY_CODES, LANGUAGE_CODES

__all__ = [
    "EDITABLE_FIELDS", "READ_ONLY_FIELDS", "BIO_MAX_LENGTH", "NAME_MAX_LENGTH", "EDUCATION_LEVELS",
    "SOCIAL_PLATFORMS", "AccountValidationError", "clean_account_update", "merge_social_links",
    "social_links_list",
]

EDITABLE_FIELDS = ("name", "bio", "country", "language_proficiencies", "level_of_education", "social_links",
                   "year_of_birth")
# Shown by the account read, written elsewhere (the image routes, the preferences, the host's user model).
READ_ONLY_FIELDS = ("username", "email", "profile_image", "requires_parental_consent", "account_privacy",
                    "accomplishments_shared", "date_joined", "is_active")

BIO_MAX_LENGTH = 300
NAME_MAX_LENGTH = 255
# How far back a year of birth may go, as Open edX's registration form offers it.
YEARS_OF_BIRTH_SPAN = 120

EDUCATION_LEVELS = {
    "p": "Doctorate",
    "m": "Master's or professional degree",
    "b": "Bachelor's degree",
    "a": "Associate degree",
    "hs": "Secondary/high school",
    "jhs": "Junior secondary/junior high/middle school",
    "el": "Elementary/primary school",
    "none": "No formal education",
    "other": "Other education",
}

# platform -> the part of a profile URL that precedes the learner's handle on that network
SOCIAL_PLATFORMS = {
    "facebook": ("facebook.com/",),
    "twitter": ("twitter.com/", "x.com/"),
    "linkedin": ("linkedin.com/in/",),
}

_URL_IN_NAME = re.compile(r"(https?://|www\.)\S", re.IGNORECASE)
# What a handle on a social network may hold: no slash, space, query or fragment.
_SOCIAL_HANDLE = re.compile(r"[\w.@%+~-]{1,150}")


class AccountValidationError(Exception):
    """The update was refused; ``field_errors`` maps each bad field to its two messages."""

    def __init__(self, field_errors: dict[str, dict[str, str]]):
        super().__init__(field_errors)
        self.field_errors = field_errors


class _Invalid(Exception):
    def __init__(self, developer_message: str, user_message: str | None = None):
        super().__init__(developer_message)
        self.developer_message = developer_message
        self.user_message = user_message or developer_message


def clean_account_update(data: Mapping, *, today: datetime.date | None = None) -> dict:
    """The stored form of each field in ``data``; raises ``AccountValidationError`` listing every bad field.

    ``None`` clears a field (merge-patch semantics), except ``name``, which may not be empty.
    ``social_links`` comes back as ``{platform: url}`` where ``""`` removes that platform;
    merge it into the stored links with ``merge_social_links``.
    """
    cleaned, errors = {}, {}
    for field, value in data.items():
        try:
            if field in READ_ONLY_FIELDS:
                raise _Invalid("This field is not editable via this API",
                               _("The '{field_name}' field cannot be edited.").format(field_name=field))
            if field not in EDITABLE_FIELDS:
                raise _Invalid(f"'{field}' is not an account field this server stores.",
                               _("The '{field_name}' field cannot be edited.").format(field_name=field))
            cleaned[field] = _CLEANERS[field](value, today=today)
        except _Invalid as exc:
            errors[field] = {"developer_message": exc.developer_message, "user_message": exc.user_message}
    if errors:
        raise AccountValidationError(errors)
    return cleaned


def _text(value, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Invalid(f"The {field} field must be a string.", _("Enter text."))
    return value


def _clean_name(value, **kwargs) -> str:
    name = _text(value, "name").strip()
    if not name:
        raise _Invalid("The name field must be at least 1 character long.", _("Enter your full name."))
    if len(name) > NAME_MAX_LENGTH:
        raise _Invalid(f"The name field must be at most {NAME_MAX_LENGTH} characters long.",
                       _("Your name is too long."))
    if "<" in name or ">" in name:
        raise _Invalid("The name field cannot contain the characters < and >.",
                       _("Full Name cannot contain the following characters: < >"))
    if _URL_IN_NAME.search(name):
        raise _Invalid("The name field cannot contain a URL.", _("Enter a valid name"))
    return name


def _clean_bio(value, **kwargs) -> str:
    bio = _text(value, "bio")
    if len(bio) > BIO_MAX_LENGTH:
        raise _Invalid(f"The about me field must be at most {BIO_MAX_LENGTH} characters long.",
                       _("The about me field must be at most {max} characters long.").format(max=BIO_MAX_LENGTH))
    return bio


def _listed_code(value, field: str, codes, *, hint: str, user_message: str) -> str:
    """The field's text, which must be empty or one of ``codes``; ``hint`` says what a listed one looks like."""
    code = _text(value, field)
    if code and code not in codes:
        raise _Invalid(f'"{code}" is not a valid choice: {hint}.', user_message)
    return code


def _clean_country(value, **kwargs) -> str:
    return _listed_code(value, "country", COUNTRY_CODES, hint='use an ISO 3166-1 alpha-2 code such as "US"',
                        user_message=_("Select a country from the list."))


def _clean_level_of_education(value, **kwargs) -> str:
    return _listed_code(value, "level_of_education", EDUCATION_LEVELS, hint=f'use one of {", ".join(EDUCATION_LEVELS)}',
                        user_message=_("Select an education level from the list."))


def _clean_year_of_birth(value, *, today=None, **kwargs) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid("The year_of_birth field must be an integer year.", _("Select a year of birth."))
    this_year = (today or datetime.date.today()).year
    if not this_year - YEARS_OF_BIRTH_SPAN <= value <= this_year:
        raise _Invalid(f"The year_of_birth field must be between {this_year - YEARS_OF_BIRTH_SPAN} and {this_year}.",
                       _("Select a year of birth."))
    return value


def _clean_language_proficiencies(value, **kwargs) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _Invalid('The language_proficiencies field must be a list of {"code": <language>} objects.',
                       _("Select languages from the list."))
    codes = []
    for item in value:
        code = item.get("code")
        if not isinstance(code, str) or code not in LANGUAGE_CODES:
            raise _Invalid(f'"{code}" is not a valid choice: use an ISO 639-1 language code such as "en".',
                           _("Select languages from the list."))
        codes.append(code)
    if len(set(codes)) != len(codes):
        raise _Invalid("The language_proficiencies field must consist of unique languages.",
                       _("Each language may be listed once."))
    return sorted(codes)


def _clean_social_links(value, **kwargs) -> dict[str, str]:
    if value is None:
        return {platform: "" for platform in SOCIAL_PLATFORMS}
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise _Invalid('The social_links field must be a list of {"platform", "social_link"} objects.',
                       _("Enter your social media links."))
    links = {}
    for item in value:
        platform, link = item.get("platform"), item.get("social_link")
        if platform not in SOCIAL_PLATFORMS:
            raise _Invalid("The social platform must be facebook, twitter or linkedin",
                           _("The social platform must be facebook, twitter or linkedin"))
        if platform in links:
            raise _Invalid("The social_links field must consist of unique social platforms.",
                           _("Each social platform may be listed once."))
        links[platform] = _social_link_url(platform, link)
    return links


def _social_link_url(platform: str, link) -> str:
    """The profile URL built from a handle or a URL of ``platform``; ``""`` for a blank link.

    The URL is rebuilt from the handle rather than stored as sent, so that no other host or
    scheme can be slipped into a learner's profile.
    """
    if link is None or link == "":
        return ""
    stubs = SOCIAL_PLATFORMS[platform]
    handle = link.strip() if isinstance(link, str) else ""
    parts = urlsplit(handle if "://" in handle else "https://" + handle)
    location = (parts.netloc + parts.path).lower()
    for stub in stubs:
        for prefix in ("www." + stub, stub):
            if location.startswith(prefix):
                handle = (parts.netloc + parts.path)[len(prefix):].rstrip("/")
                break
        else:
            continue
        break
    if not _SOCIAL_HANDLE.fullmatch(handle):
        raise _Invalid(f"Error when adding new social link: the link is neither a {platform} username nor a URL "
                       f"that contains \"{stubs[0]}\".",
                       _('Make sure that you are providing a valid username or a URL that contains "{stub}". '
                         "To remove the link from your profile, leave this field blank.").format(stub=stubs[0]))
    return f"https://www.{stubs[0]}{handle}"


def merge_social_links(stored: Mapping[str, str], changes: Mapping[str, str]) -> dict[str, str]:
    """The stored links with the platforms in ``changes`` replaced, and those set to ``""`` removed."""
    merged = {**stored, **changes}
    return {platform: url for platform, url in sorted(merged.items()) if url}


def social_links_list(links: Mapping[str, str]) -> list[dict[str, str]]:
    """The wire form: ``[{"platform", "social_link"}]`` ordered by platform."""
    return [{"platform": platform, "social_link": url} for platform, url in sorted(links.items()) if url]


_CLEANERS = {
    "name": _clean_name,
    "bio": _clean_bio,
    "country": _clean_country,
    "level_of_education": _clean_level_of_education,
    "year_of_birth": _clean_year_of_birth,
    "language_proficiencies": _clean_language_proficiencies,
    "social_links": _clean_social_links,
}

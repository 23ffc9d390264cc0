"""The rules hand over lazy or per-call user messages: the active language decides their text, not import time."""

from __future__ import annotations

import pytest
from django.utils import translation

from openedx_learner_apis.applets.learners.accounts import AccountValidationError, clean_account_update
from openedx_learner_apis.applets.learners.preferences import clean_preference_update
from openedx_learner_apis.applets.profile_images.errors import _unreadable_error
from openedx_learner_apis.features.mobile.access import MOBILE_UNAVAILABLE, NOT_ENROLLED, _not_started
from openedx_learner_apis.rest_api.badges.errors import InvalidCourseKey
from openedx_learner_apis.rest_api.profile_images.errors import USER_MESSAGES

from .catalogs import eo

pytestmark = pytest.mark.usefixtures("dummy_locale")


def refused(clean, data) -> dict:
    with pytest.raises(AccountValidationError) as raised:
        clean(data)
    return raised.value.field_errors


def test_account_update_refusal():
    with translation.override("eo"):
        errors = refused(clean_account_update, {"name": ""})
    assert errors == {"name": {"developer_message": "The name field must be at least 1 character long.",
                               "user_message": eo("Enter your full name.")}}


def test_preference_refusal_fills_its_placeholders_after_translating():
    with translation.override("eo"):
        errors = refused(clean_preference_update, {"account_privacy": "friends"})
    assert errors["account_privacy"]["user_message"] == eo(
        "Value '{value}' is not valid for the '{key}' preference.").format(value="friends", key="account_privacy")


def test_mobile_access_messages_are_built_once_and_shown_in_each_language():
    assert str(MOBILE_UNAVAILABLE.user_message) == "You do not have access to this course on a mobile device"
    with translation.override("eo"):
        assert str(MOBILE_UNAVAILABLE.user_message) == eo("You do not have access to this course on a mobile device")
        assert str(NOT_ENROLLED.user_message) == eo("You must be enrolled in the course")
    assert MOBILE_UNAVAILABLE.developer_message == "Course is not available on mobile for this user"


def test_mobile_access_message_with_a_date():
    from datetime import datetime, timezone

    result = _not_started(datetime(2031, 4, 5, tzinfo=timezone.utc))
    with translation.override("eo"):
        assert str(result.user_message) == eo("Course does not start until {start_date}").format(
            start_date="April 5, 2031")
    assert str(result.user_message) == "Course does not start until April 5, 2031"
    assert result.developer_message == "Course does not start until 2031-04-05 00:00:00+00:00"


def test_image_refusal_made_during_an_eo_request_keeps_an_english_developer_message():
    with translation.override("eo"):
        error = _unreadable_error()
        assert str(error.user_message) == eo("The file could not be read as an image. It may be corrupted.")
    assert error.developer_message == "The file could not be read as an image. It may be corrupted."


def test_profile_images_status_messages():
    with translation.override("eo"):
        assert str(USER_MESSAGES[401]) == eo("Sign in to change a profile image.")


def test_badges_detail_is_translated_when_the_exception_is_made():
    with translation.override("eo"):
        assert InvalidCourseKey().detail == eo("The course key provided was invalid.")
    assert InvalidCourseKey().detail == "The course key provided was invalid."

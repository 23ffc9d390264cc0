"""Each family's error handler, called directly: the typed exceptions of the applets and the answer they become.

The same refusals are checked over HTTP in each family's view tests; here every mapping is
checked once, including those no request reaches easily (a storage failure).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from rest_framework.exceptions import NotFound, PermissionDenied

import openedx_learner_apis
from openedx_learner_apis.applets.certificates.api import CertificateNotConfigured, CertificateNotFound
from openedx_learner_apis.applets.learners.api import AccountValidationError
from openedx_learner_apis.applets.profile_images.images import ImageValidationError, UnsupportedImageTypeError
from openedx_learner_apis.applets.profile_images.storage import ProfileImageStorageError
from openedx_learner_apis.core.keys import InvalidKey
from openedx_learner_apis.core.users import UserNotFound
from openedx_learner_apis.rest_api.accounts.errors import FieldErrors, translate_accounts_exception
from openedx_learner_apis.rest_api.badges.errors import InvalidCourseKey, translate_badges_exception
from openedx_learner_apis.rest_api.certificates.errors import translate_certificates_exception
from openedx_learner_apis.rest_api.common.errors import DeveloperError
from openedx_learner_apis.rest_api.profile_images.errors import translate_profile_images_exception


def test_unknown_exceptions_pass_through_every_handler():
    exc = PermissionDenied()
    for translate in (translate_accounts_exception, translate_badges_exception, translate_certificates_exception,
                      translate_profile_images_exception):
        assert translate(exc) is exc


def test_badges():
    assert isinstance(translate_badges_exception(InvalidKey("x")), InvalidCourseKey)
    assert InvalidCourseKey.status_code == 400
    assert isinstance(translate_badges_exception(UserNotFound("x")), NotFound)


def test_certificates():
    missing = translate_certificates_exception(CertificateNotFound("x"))
    assert (missing.status_code, missing.detail) == (404, {"error_code": "no_certificate_for_user"})
    unconfigured = translate_certificates_exception(CertificateNotConfigured("x"))
    assert unconfigured.detail == {"error_code": "no_certificate_configuration_for_course"}


def test_accounts():
    field_errors = {"name": {"developer_message": "d", "user_message": "u"}}
    exc = translate_accounts_exception(AccountValidationError(field_errors))
    assert isinstance(exc, FieldErrors)
    assert (exc.status_code, exc.detail) == (400, {"field_errors": field_errors})


def answer(exc) -> tuple:
    translated = translate_profile_images_exception(exc)
    assert isinstance(translated, DeveloperError)
    return translated.status_code, translated.developer_message, str(translated.user_message), translated.error_code


def test_profile_images():
    assert answer(UnsupportedImageTypeError("Not here.", "no decoder")) == (415, "no decoder", "Not here.",
                                                                           "unsupported_media_type")
    assert answer(ImageValidationError("Too small.", "2 bytes")) == (400, "2 bytes", "Too small.", None)
    assert answer(ProfileImageStorageError("S3 down"))[:2] == (400, "S3 down")
    assert answer(RequestDataTooBig("big"))[:3] == (413, "big", "The file is too large.")
    assert answer(TooManyFieldsSent("many"))[:3] == (400, "many", "Send only the image file.")


@pytest.mark.parametrize("family", ["accounts", "badges", "certificates", "profile_images"])
def test_each_family_has_one_error_handler(family):
    """The family's ``errors`` module holds its one handler, and its views use it."""
    package = Path(openedx_learner_apis.__file__).parent / "rest_api" / family
    handlers = [node.name for node in ast.parse((package / "errors.py").read_text()).body
                if isinstance(node, ast.FunctionDef) and node.name.startswith("translate_")]
    assert handlers == [f"translate_{family}_exception"]
    assert f"translate_exception = staticmethod(translate_{family}_exception)" in (package / "views.py").read_text()

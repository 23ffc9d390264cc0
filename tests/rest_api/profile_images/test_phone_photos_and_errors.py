"""HTTP tests: phone photos (MPO), the memory bound, both messages on every error, the upload schema."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from openedx_learner_apis.applets.learners.models import LearnerProfile
from tests.robustness.openapi import api_schema, assert_documented

pytestmark = pytest.mark.django_db

CURRENT = "accounts_profile_image_api:accounts_profile_image_api"
LEGACY_UPLOAD = "profile_images:profile_image_upload"
LEGACY_REMOVE = "profile_images:profile_image_remove"
TEMPLATES = {CURRENT: "/api/user/v1/accounts/{username}/image",
             LEGACY_UPLOAD: "/api/profile_images/v1/{username}/upload",
             LEGACY_REMOVE: "/api/profile_images/v1/{username}/remove"}
UPLOAD_ROUTES = [pytest.param(CURRENT, id="current"), pytest.param(LEGACY_UPLOAD, id="legacy")]
TOO_MUCH_MEMORY = ("The image is too large to be processed. Upload an image with fewer pixels, "
                   "or save it as a standard (baseline) JPEG or an 8-bit PNG.")


def url(route: str, username: str = "learner") -> str:
    return reverse(route, kwargs={"username": username})


def encode(img: Image.Image, fmt: str, **params) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **params)
    return buffer.getvalue()


def phone_photo() -> bytes:
    """A multi-picture JPEG: the photo, then a second picture (as Ultra HDR's gain map)."""
    return encode(Image.new("RGB", (1200, 900), (30, 160, 40)), "MPO", save_all=True, quality=90,
                  append_images=[Image.new("L", (300, 225), 200)])


def multipart(client, route, name, data, content_type, username="learner"):
    return client.post(url(route, username), {"file": SimpleUploadedFile(name, data, content_type)},
                       format="multipart")


def raw(client, route, data, content_type, filename=None, username="learner"):
    headers = {"HTTP_CONTENT_DISPOSITION": f"attachment; filename={filename}"} if filename else {}
    return client.post(url(route, username), data, content_type=content_type, **headers)


def assert_both_messages(response, route):
    body = response.json()
    assert body["developer_message"] and body["user_message"], body
    assert_documented(response, "post" if route != CURRENT else response.request["REQUEST_METHOD"],
                      TEMPLATES[route])


@pytest.fixture
def client(learner, session_client):
    return session_client(learner)


def has_image(user) -> bool:
    profile = LearnerProfile.objects.filter(user=user).first()
    return bool(profile and profile.has_profile_image)


# --- phone photos ---------------------------------------------------------------------------


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
@pytest.mark.parametrize("name", ["IMG_20260101_120000.jpg", "PXL_0001.JPG", "photo.jpeg"])
def test_multipart_phone_photo_is_accepted(route, name, learner, client, profile_storage):
    assert Image.open(io.BytesIO(phone_photo())).format == "MPO"
    response = multipart(client, route, name, phone_photo(), "image/jpeg")
    assert response.status_code == 204, response.content
    assert has_image(learner)


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_raw_phone_photo_is_accepted(route, learner, client, profile_storage):
    response = raw(client, route, phone_photo(), "image/jpeg", filename="IMG_0001.jpg")
    assert response.status_code == 204, response.content
    assert has_image(learner)
    # The first picture (green) is the one shown.
    for name in profile_storage.files():
        with profile_storage.storage.open(name) as handle:
            stored = Image.open(handle).convert("RGB")
            red, green, blue = stored.getpixel((stored.width // 2, stored.height // 2))
        assert green > 120 and red < 80 and blue < 80


# --- memory bound -----------------------------------------------------------------------------


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_image_beyond_the_memory_budget_is_a_400_with_both_messages(route, learner, client, profile_storage):
    # 423 KB on the wire; a progressive JPEG's decoder holds 218 MB of coefficients for it.
    data = encode(Image.new("RGB", (6000, 6000), (200, 100, 50)), "JPEG", quality=50, progressive=True,
                  subsampling=0)
    assert len(data) < 1_000_000
    response = multipart(client, route, "big.jpg", data, "image/jpeg")
    assert response.status_code == 400
    assert response.json()["user_message"] == TOO_MUCH_MEMORY
    assert "limit is 144 MB" in response.json()["developer_message"]
    assert not has_image(learner)


# --- every error has both messages ------------------------------------------------------------


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
class TestRawUploadErrors:
    def test_415(self, route, client, profile_storage):
        response = raw(client, route, b"x" * 200, "image/tiff", filename="a.tiff")
        assert response.status_code == 415
        assert response.json() == {
            "developer_message": 'Unsupported media type "image/tiff" in request.',
            "user_message": ("The file must be one of the following types: "
                             ".jpeg, .jpg, .png, .gif, .webp, .heic, .heif, .avif."),
            "error_code": "unsupported_media_type"}
        assert_both_messages(response, route)

    def test_type_and_extension_mismatch(self, route, client, profile_storage):
        response = raw(client, route, encode(Image.new("RGB", (64, 64)), "PNG"), "image/png", filename="a.jpg")
        assert response.status_code == 400
        assert response.json()["user_message"] == (
            "The Content-Type header for this file does not match the file data. The file may be corrupted.")
        assert_both_messages(response, route)

    def test_missing_filename(self, route, client, profile_storage):
        response = raw(client, route, encode(Image.new("RGB", (64, 64)), "PNG"), "image/png")
        assert response.status_code == 400
        assert response.json()["user_message"] == "The upload has no file name."
        assert_both_messages(response, route)

    def test_multipart_part_header_too_large(self, route, client, profile_storage):
        boundary = "BoUnDaRy"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                f"X-Padding: {'p' * 2000}\r\nContent-Type: image/png\r\n\r\nxxxx\r\n--{boundary}--\r\n").encode()
        response = client.post(url(route), body, content_type=f"multipart/form-data; boundary={boundary}")
        assert response.status_code == 400
        assert "header size" in response.json()["developer_message"]
        assert_both_messages(response, route)


@pytest.mark.parametrize("route, method", [(CURRENT, "post"), (CURRENT, "delete"), (LEGACY_UPLOAD, "post"),
                                           (LEGACY_REMOVE, "post")])
def test_framework_errors_have_both_messages(route, method, learner, other_learner, session_client, api_client,
                                             profile_storage):
    anonymous = getattr(api_client, method)(url(route))
    assert anonymous.status_code == 401
    assert anonymous.json()["user_message"] == "Sign in to change a profile image."
    not_found = getattr(session_client(other_learner), method)(url(route))
    assert not_found.status_code == 404
    assert not_found.json()["user_message"] == "This account was not found."
    not_allowed = session_client(learner).put(url(route))
    assert not_allowed.status_code == 405
    for response in (anonymous, not_found, not_allowed):
        body = response.json()
        assert body["developer_message"] and body["user_message"], body


def test_staff_upload_for_another_user_403_has_both_messages(learner, staff_user, session_client, profile_storage):
    response = multipart(session_client(staff_user), CURRENT, "a.jpg", phone_photo(), "image/jpeg")
    assert response.status_code == 403
    assert response.json()["user_message"] == "You may not change this profile image."
    assert_both_messages(response, CURRENT)


# --- schema -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [TEMPLATES[CURRENT], TEMPLATES[LEGACY_UPLOAD]])
def test_upload_schema_requires_a_binary_file(path):
    schema = api_schema()
    body = schema["paths"][path]["post"]["requestBody"]
    assert body["required"] is True
    form = body["content"]["multipart/form-data"]["schema"]
    form = schema["components"]["schemas"][form["$ref"].rsplit("/", 1)[1]]
    assert form["properties"]["file"]["type"] == "string"
    assert form["properties"]["file"]["format"] == "binary"
    assert form["required"] == ["file"]
    for media_type in ("image/jpeg", "image/pjpeg", "image/png", "image/gif"):
        assert body["content"][media_type]["schema"] == {"type": "string", "format": "binary"}


def test_error_schema_requires_both_messages():
    error = api_schema()["components"]["schemas"]["ProfileImageError"]
    assert set(error["required"]) == {"developer_message", "user_message"}

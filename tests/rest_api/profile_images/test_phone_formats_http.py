"""HTTP tests: WebP, HEIC/HEIF and AVIF uploads on the four upload routes, and what the rest is answered."""

from __future__ import annotations

import pytest
from PIL import Image

from openedx_learner_apis.applets.profile_images import formats
from tests.applets.profile_images.phone_samples import BLUE, GREEN, PHONE_FORMATS, RED, animation, exif, halves, sample
from tests.rest_api.profile_images.test_phone_photos_and_errors import (
    TOO_MUCH_MEMORY,
    UPLOAD_ROUTES,
    assert_both_messages,
    has_image,
    multipart,
    raw,
)

pytestmark = pytest.mark.django_db

KINDS = sorted(PHONE_FORMATS)
NO_HEIF = ("This server cannot read HEIC/HEIF images. Upload one of these types instead: "
           ".jpeg, .jpg, .png, .gif, .webp, .avif.")


@pytest.fixture
def client(learner, session_client):
    return session_client(learner)


def stored_full(profile_storage) -> Image.Image:
    """The 500 px JPEG the upload stored (the largest file)."""
    images = []
    for name in profile_storage.files():
        with profile_storage.storage.open(name) as handle:
            img = Image.open(handle)
            img.load()
            images.append(img)
    full = max(images, key=lambda img: img.width)
    assert full.format == "JPEG" and full.size == (500, 500)
    return full.convert("RGB")


def close(actual, expected, tolerance=40) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
@pytest.mark.parametrize("kind", KINDS)
def test_multipart_phone_format_is_accepted(route, kind, learner, client, profile_storage):
    extension, content_type, _ = PHONE_FORMATS[kind]
    response = multipart(client, route, f"IMG_20260101{extension}", sample(kind, halves(), exif=exif(6)),
                         content_type)
    assert response.status_code == 204, response.content
    assert has_image(learner)
    full = stored_full(profile_storage)  # upright: the orientation was applied
    assert close(full.getpixel((250, 10)), RED) and close(full.getpixel((250, 490)), BLUE)
    assert len(full.getexif()) == 0


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
@pytest.mark.parametrize("kind", KINDS)
def test_raw_phone_format_is_accepted(route, kind, learner, client, profile_storage):
    extension, content_type, _ = PHONE_FORMATS[kind]
    response = raw(client, route, sample(kind), content_type + "; charset=binary", filename=f"photo{extension}")
    assert response.status_code == 204, response.content
    assert close(stored_full(profile_storage).getpixel((250, 250)), GREEN)


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
@pytest.mark.parametrize("kind", ["webp", "avif", "heic"])
def test_animated_upload_shows_its_first_frame(route, kind, learner, client, profile_storage):
    extension, content_type, _ = PHONE_FORMATS[kind]
    response = raw(client, route, animation(kind, RED, BLUE, GREEN), content_type, filename=f"a{extension}")
    assert response.status_code == 204, response.content
    assert close(stored_full(profile_storage).getpixel((250, 250)), RED)


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_data_of_another_phone_format_is_a_400(route, learner, client, profile_storage):
    response = raw(client, route, sample("avif"), "image/heic", filename="photo.heic")
    assert response.status_code == 400
    assert response.json()["developer_message"].startswith("The file name extension for this file does not match")
    assert_both_messages(response, route)
    response = multipart(client, route, "photo.webp", sample("heic"), "image/webp")
    assert response.status_code == 400
    assert not has_image(learner)


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_raw_heic_named_avif_is_a_400(route, learner, client, profile_storage):
    response = raw(client, route, sample("heic"), "image/heic", filename="photo.avif")
    assert response.status_code == 400
    assert response.json()["error_code"] == "parse_error"


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_webp_beyond_the_memory_budget_is_a_400(route, learner, client, profile_storage):
    """3100x3100: 9.6 MP, which libwebp and Pillow decode into about 154 MB."""
    data = sample("webp", Image.new("RGB", (3100, 3100), GREEN), quality=10)
    assert len(data) < 1024 * 1024
    response = raw(client, route, data, "image/webp", filename="big.webp")
    assert response.status_code == 400
    assert response.json()["user_message"] == TOO_MUCH_MEMORY
    assert response.json()["developer_message"].startswith("Decoding this image needs about 154 MB")
    assert not has_image(learner)


# --- without pillow-heif -------------------------------------------------------------------------


@pytest.fixture
def no_heif(monkeypatch):
    present = {key: key != "heif" for key in formats.IMAGE_TYPES}
    monkeypatch.setattr(formats, "_availability", lambda: present)


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
@pytest.mark.parametrize("content_type, name", [("image/heic", "IMG_0001.HEIC"), ("image/heif", "a.heif")])
def test_raw_heic_without_pillow_heif_is_415_saying_why(route, content_type, name, no_heif, learner, client,
                                                        profile_storage):
    response = raw(client, route, sample("heic"), content_type, filename=name)
    assert response.status_code == 415
    body = response.json()
    assert body["user_message"] == NO_HEIF and body["error_code"] == "unsupported_media_type"
    assert "pillow-heif" in body["developer_message"]
    assert_both_messages(response, route)
    assert not has_image(learner)


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_multipart_heic_without_pillow_heif_is_415_saying_why(route, no_heif, learner, client, profile_storage):
    response = multipart(client, route, "IMG_0001.heic", sample("heic"), "image/heic")
    assert response.status_code == 415
    assert response.json()["user_message"] == NO_HEIF
    assert_both_messages(response, route)
    assert profile_storage.files() == set()


@pytest.mark.parametrize("route", UPLOAD_ROUTES)
def test_other_types_keep_their_answers_without_pillow_heif(route, no_heif, learner, client, profile_storage):
    response = raw(client, route, b"x" * 200, "image/tiff", filename="a.tiff")
    assert response.status_code == 415
    assert response.json()["user_message"] == ("The file must be one of the following types: "
                                               ".jpeg, .jpg, .png, .gif, .webp, .avif.")
    response = multipart(client, route, "a.bmp", b"BM" + b"x" * 200, "image/bmp")
    assert response.status_code == 400
    response = raw(client, route, sample("webp"), "image/webp", filename="a.webp")
    assert response.status_code == 204


def test_schema_lists_the_phone_types_on_both_routes():
    from tests.robustness.openapi import api_schema

    paths = api_schema()["paths"]
    for path in ("/api/user/v1/accounts/{username}/image", "/api/profile_images/v1/{username}/upload"):
        content = paths[path]["post"]["requestBody"]["content"]
        for media_type in ("image/webp", "image/heic", "image/heif", "image/avif"):
            assert content[media_type]["schema"] == {"type": "string", "format": "binary"}


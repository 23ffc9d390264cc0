"""Profile and badge images through django-storages' S3 backend, against a real S3 API server (moto).

The storages are configured only through ``STORAGES`` and ``OPENEDX_LEARNER_APIS``, as a
host would (docs/how-to/s3.rst).
"""

from __future__ import annotations

import io
import urllib.request
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from openedx_learner_apis import api
from openedx_learner_apis.applets.profile_images.api import (
    get_profile_image_urls,
    remove_profile_image,
    set_profile_image,
)
from openedx_learner_apis.applets.profile_images.storage import username_hash

pytestmark = [pytest.mark.s3, pytest.mark.django_db]

SIZES = {"full": 500, "large": 120, "medium": 50, "small": 30}
CDN = "d111111abcdef8.cloudfront.net"


def s3_backend(endpoint: str, bucket: str, **options) -> dict:
    """A ``STORAGES`` entry for the bucket; presigned (absolute, query-string) URLs unless told otherwise."""
    return {"BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": bucket, "endpoint_url": endpoint, "region_name": "us-east-1",
                        "access_key": "testing", "secret_key": "testing", "addressing_style": "path",
                        "signature_version": "s3v4", **options}}


@pytest.fixture
def s3(settings, s3_bucket):
    """Default and profile image storages in one bucket; returns ``(client, bucket, configure)``."""
    endpoint, bucket, client = s3_bucket

    def configure(**profile_options):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": s3_backend(endpoint, bucket, location="media"),
            "profile_image": s3_backend(endpoint, bucket, location="profile-images", **profile_options),
        }

    settings.OPENEDX_LEARNER_APIS = {"PROFILE_IMAGE_STORAGE": "profile_image", "PROFILE_IMAGE_SIZES_MAP": SIZES,
                                     "PROFILE_IMAGE_HASH_SEED": "secret"}
    configure()
    return client, bucket, configure


def keys(client, bucket: str, prefix: str) -> set[str]:
    listed = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return {item["Key"] for item in listed.get("Contents", [])}


def image_file(name: str = "photo.png", side: int = 64, fmt: str = "PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.effect_noise((side, side), 60).convert("RGB").save(buffer, format=fmt)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def fetch(url: str) -> bytes:
    """GET a URL the storage generated; only loopback URLs are ever fetched."""
    assert urlsplit(url).hostname == "127.0.0.1"
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback moto server)
        return response.read()


def profile_keys(username: str, version: str) -> set[str]:
    return {f"profile-images/{username_hash(username)}_{side}_{version}.jpg" for side in SIZES.values()}


class TestProfileImagesOnS3:
    def test_upload_writes_every_size_and_serves_signed_urls(self, s3, learner, django_capture_on_commit_callbacks):
        client, bucket, _ = s3
        with django_capture_on_commit_callbacks(execute=True):
            profile = set_profile_image(learner, image_file())
        assert keys(client, bucket, "profile-images/") == profile_keys("learner", profile.profile_image_version)
        urls = get_profile_image_urls(learner)
        assert urls["has_image"] is True
        full = urls["image_url_full"]
        query = parse_qs(urlsplit(full).query)
        # A presigned URL keeps its signature and gains the cache-busting version.
        assert "X-Amz-Signature" in query
        assert query["v"] == [str(int(profile.profile_image_uploaded_at.timestamp()))]
        with Image.open(io.BytesIO(fetch(full))) as served:
            assert (served.format, served.size) == ("JPEG", (500, 500))

    def test_replace_keeps_only_the_new_files(self, s3, learner, django_capture_on_commit_callbacks):
        client, bucket, _ = s3
        with django_capture_on_commit_callbacks(execute=True):
            first = set_profile_image(learner, image_file()).profile_image_version
        old_url = get_profile_image_urls(learner)["image_url_small"]
        with django_capture_on_commit_callbacks(execute=True):
            second = set_profile_image(learner, image_file("again.jpg", fmt="JPEG")).profile_image_version
        assert first != second
        assert keys(client, bucket, "profile-images/") == profile_keys("learner", second)
        new_url = get_profile_image_urls(learner)["image_url_small"]
        assert urlsplit(new_url).path != urlsplit(old_url).path
        assert fetch(new_url)[:2] == b"\xff\xd8"

    def test_remove_deletes_the_files_and_falls_back_to_placeholders(self, s3, learner,
                                                                     django_capture_on_commit_callbacks):
        client, bucket, _ = s3
        with django_capture_on_commit_callbacks(execute=True):
            set_profile_image(learner, image_file())
        with django_capture_on_commit_callbacks(execute=True):
            assert remove_profile_image(learner) is True
        assert keys(client, bucket, "profile-images/") == set()
        urls = get_profile_image_urls(learner)
        assert urls["has_image"] is False
        assert urls["image_url_full"].startswith("/static/")

    def test_cdn_domain_gives_unsigned_cdn_urls(self, s3, learner):
        _, _, configure = s3
        configure(custom_domain=CDN, querystring_auth=False)
        profile = set_profile_image(learner, image_file())
        url = get_profile_image_urls(learner)["image_url_medium"]
        stamp = int(profile.profile_image_uploaded_at.timestamp())
        name = f"{username_hash('learner')}_50_{profile.profile_image_version}.jpg"
        assert url == f"https://{CDN}/profile-images/{name}?v={stamp}"

    def test_upload_through_the_rest_api(self, s3, learner, session_client, django_capture_on_commit_callbacks):
        client, bucket, _ = s3
        route = reverse("accounts_profile_image_api:accounts_profile_image_api", kwargs={"username": "learner"})
        with django_capture_on_commit_callbacks(execute=True):
            response = session_client(learner).post(route, {"file": image_file()}, format="multipart")
        assert response.status_code == 204
        learner.refresh_from_db()
        version = learner.learner_profile.profile_image_version
        assert keys(client, bucket, "profile-images/") == profile_keys("learner", version)
        with django_capture_on_commit_callbacks(execute=True):
            assert session_client(learner).delete(route).status_code == 204
        assert keys(client, bucket, "profile-images/") == set()


class TestBadgeImagesOnS3:
    def test_badge_class_image_goes_to_the_default_storage(self, s3):
        client, bucket, _ = s3
        badge_class = api.create_badge_class("s3-badge", "openedx__course", display_name="S3", description="d",
                                             criteria="c", image=image_file("icon.png"))
        assert badge_class.image.name.startswith("badge_classes/")
        assert keys(client, bucket, "media/badge_classes/") == {f"media/{badge_class.image.name}"}
        url = badge_class.image.url
        assert "X-Amz-Signature" in parse_qs(urlsplit(url).query)
        with Image.open(io.BytesIO(fetch(url))) as served:
            assert served.size == (64, 64)

    def test_replacing_the_icon_deletes_the_old_file(self, s3, django_capture_on_commit_callbacks):
        client, bucket, _ = s3
        first = api.create_badge_class("swap", "", display_name="S", description="d", criteria="c",
                                       image=image_file("one.png"))
        old_name = first.image.name
        with django_capture_on_commit_callbacks(execute=True):
            second = api.create_badge_class("swap", "", display_name="S", description="d", criteria="c",
                                            image=image_file("two.png", side=32))
        assert second.pk == first.pk and second.image.name != old_name
        assert keys(client, bucket, "media/badge_classes/") == {f"media/{second.image.name}"}

    def test_badge_api_returns_the_absolute_storage_url(self, s3, learner, session_client):
        _, bucket, _ = s3
        badge_class = api.create_badge_class("listed", "", display_name="L", description="d", criteria="c",
                                             image=image_file("icon.png"))
        api.award_badge(learner, badge_class, image_url="https://badges.example.com/a.png",
                        assertion_url="https://badges.example.com/a")
        response = session_client(learner).get(reverse("badges_api:user_assertions", kwargs={"username": "learner"}))
        assert response.status_code == 200
        image_url = response.json()["results"][0]["badge_class"]["image_url"]
        parts = urlsplit(image_url)
        assert (parts.hostname, parts.path) == ("127.0.0.1", f"/{bucket}/media/{badge_class.image.name}")
        assert "X-Amz-Signature" in parse_qs(parts.query)

"""Tests of the profile image storage helpers: names, all-or-nothing writes, URLs."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages

from openedx_learner_apis.applets.profile_images import storage as image_storage
from openedx_learner_apis.applets.profile_images.storage import (
    ProfileImageStorageError,
    default_image_urls,
    delete_profile_images,
    get_profile_image_storage,
    new_version,
    profile_image_names,
    save_profile_images,
    uploaded_image_urls,
    username_hash,
    with_query_param,
)
from tests.applets.profile_images.storages import SIGNED_URL_STORAGE, JournalStorage

UPLOADED_AT = datetime(2002, 1, 9, 15, 43, 1, tzinfo=timezone.utc)
EPOCH = 1010590981


def test_hash_is_md5_of_seed_and_username(profile_storage):
    """Open edX's examples of file names, so files an Open edX host already stores keep their names."""
    assert username_hash("alice") == "4a0a68b43b6cd5cf266fa02f196e2371"


def test_hash_with_default_seed(settings):
    settings.OPENEDX_LEARNER_APIS = {}
    assert username_hash("alice") == "9a22384d738fd2349743cee778121655"


def test_names_are_versioned_per_size(profile_storage):
    stem = username_hash("alice")
    assert profile_image_names("alice", "abc123") == {
        "full": f"{stem}_500_abc123.jpg",
        "large": f"{stem}_120_abc123.jpg",
        "medium": f"{stem}_50_abc123.jpg",
        "small": f"{stem}_30_abc123.jpg",
    }


def test_empty_version_gives_open_edx_names(profile_storage):
    stem = username_hash("alice")
    assert profile_image_names("alice", "")["full"] == f"{stem}_500.jpg"


def test_names_follow_the_sizes_map_at_call_time(profile_storage, settings):
    settings.OPENEDX_LEARNER_APIS = {**settings.OPENEDX_LEARNER_APIS, "PROFILE_IMAGE_SIZES_MAP": {"full": 50,
                                                                                                  "small": 10}}
    assert set(profile_image_names("alice", "v1")) == {"full", "small"}


def test_versions_are_fresh_and_fit_the_model_field():
    versions = {new_version() for _ in range(50)}
    assert len(versions) == 50
    assert all(len(version) <= 32 and version.isalnum() for version in versions)


def test_storage_is_the_configured_alias(profile_storage):
    assert isinstance(get_profile_image_storage(), JournalStorage)


def test_storage_falls_back_to_default_without_the_alias(settings):
    settings.STORAGES = {name: value for name, value in settings.STORAGES.items() if name != "profile_image"}
    assert get_profile_image_storage() is storages["default"]


def test_save_writes_every_file(profile_storage):
    save_profile_images({"a.jpg": b"1", "b.jpg": b"2"})
    assert profile_storage.files() == {"a.jpg", "b.jpg"}


def test_save_failing_midway_deletes_what_it_wrote(profile_storage):
    profile_storage.use(fail_on_save=3)
    with pytest.raises(ProfileImageStorageError) as raised:
        save_profile_images({"a.jpg": b"1", "b.jpg": b"2", "c.jpg": b"3", "d.jpg": b"4"})
    assert profile_storage.files() == set()
    assert profile_storage.journal == [("save", "a.jpg"), ("save", "b.jpg"), ("delete", "a.jpg"), ("delete", "b.jpg")]
    assert "OSError" in raised.value.developer_message
    assert str(raised.value.user_message) == "Your profile image could not be saved. Please try again later."


def test_save_refuses_a_renamed_file(profile_storage):
    """A storage that renames on collision would leave the profile pointing at the wrong file."""
    profile_storage.storage.save("a.jpg", ContentFile(b"old"))
    with pytest.raises(ProfileImageStorageError, match="exact name"):
        save_profile_images({"a.jpg": b"new"})
    assert profile_storage.files() == {"a.jpg"}
    assert profile_storage.storage.open("a.jpg").read() == b"old"


def test_delete_never_raises_and_reports_failures(profile_storage, caplog):
    profile_storage.storage.save("a.jpg", ContentFile(b"1"))
    profile_storage.use(fail_on_delete=True)
    assert delete_profile_images(["a.jpg"]) == ["a.jpg"]
    assert "Could not delete profile image a.jpg" in caplog.text


def test_delete_of_missing_files_is_fine(profile_storage):
    assert delete_profile_images(["missing.jpg"]) == []


@pytest.mark.parametrize("url, expected", [
    ("/media/a.jpg", "/media/a.jpg?v=5"),
    ("http://host/a.jpg", "http://host/a.jpg?v=5"),
    ("https://s3/a.jpg?X-Sig=1%2B2&e=3", "https://s3/a.jpg?X-Sig=1%2B2&e=3&v=5"),
    ("https://s3/a.jpg?x=1#frag", "https://s3/a.jpg?x=1&v=5#frag"),
])
def test_with_query_param(url, expected):
    assert with_query_param(url, "v", 5) == expected


def test_uploaded_urls_carry_the_version(profile_storage, settings):
    """Storage URLs with the upload time as version, with versioned file names."""
    settings.OPENEDX_LEARNER_APIS = {**settings.OPENEDX_LEARNER_APIS, "PROFILE_IMAGE_SIZES_MAP": {"full": 50,
                                                                                                  "small": 10}}
    stem = username_hash("alice")
    assert uploaded_image_urls("alice", "v1", UPLOADED_AT) == {
        "full": f"http://example-storage.com/profile-images/{stem}_50_v1.jpg?v={EPOCH}",
        "small": f"http://example-storage.com/profile-images/{stem}_10_v1.jpg?v={EPOCH}",
    }


def test_uploaded_urls_of_a_storage_with_signed_urls(profile_storage):
    profile_storage.use(SIGNED_URL_STORAGE)
    url = uploaded_image_urls("alice", "v1", UPLOADED_AT)["small"]
    assert url == (f"https://cdn.example.com/profile-images/{username_hash('alice')}_30_v1.jpg"
                   f"?signature=abc%3D&expires=99&v={EPOCH}")


def test_default_urls_come_from_static_files(settings):
    settings.OPENEDX_LEARNER_APIS = {"PROFILE_IMAGE_DEFAULT_FILENAME": "default",
                                     "PROFILE_IMAGE_SIZES_MAP": {"full": 50, "small": 10}}
    assert default_image_urls() == {"full": "/static/default_50.png", "small": "/static/default_10.png"}


def test_default_urls_with_open_edx_defaults(settings):
    settings.OPENEDX_LEARNER_APIS = {}
    assert default_image_urls()["large"] == "/static/images/profiles/default_120.png"
    assert image_storage.URL_KEY_PREFIX == "image_url_"

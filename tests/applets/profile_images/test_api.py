"""Tests of the profile_images applet API: upload, replace, remove, URLs, signals, failures."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.test import RequestFactory
from PIL import Image

from openedx_learner_apis.api import get_or_create_profile
from openedx_learner_apis.applets.learners.models import LearnerProfile
from openedx_learner_apis.applets.profile_images.api import (
    get_profile_image_urls,
    remove_profile_image,
    set_profile_image,
)
from openedx_learner_apis.applets.profile_images.images import ImageValidationError
from openedx_learner_apis.applets.profile_images.storage import ProfileImageStorageError, username_hash
from openedx_learner_apis.signals import profile_image_removed, profile_image_uploaded
from tests.applets.profile_images.storages import SIGNED_URL_STORAGE, STORAGE_BASE_URL, image_bytes, uploaded_image

pytestmark = pytest.mark.django_db

SIZES = {"full": 500, "large": 120, "medium": 50, "small": 30}


def names_of(profile, username="learner") -> set[str]:
    stem = username_hash(username)
    return {f"{stem}_{side}_{profile.profile_image_version}.jpg" for side in SIZES.values()}


def fresh(profile) -> LearnerProfile:
    return LearnerProfile.objects.get(pk=profile.pk)


@pytest.fixture
def uploaded(learner, profile_storage, django_capture_on_commit_callbacks):
    """The learner with a first image already committed."""
    with django_capture_on_commit_callbacks(execute=True):
        set_profile_image(learner, uploaded_image(".png"))
    profile_storage.journal.clear()
    return fresh(learner.learner_profile)


@pytest.fixture
def received():
    """Signals received during the test, as (signal name, kwargs)."""
    calls = []

    def receiver(signal, sender, **kwargs):
        calls.append((signal, kwargs))

    profile_image_uploaded.connect(receiver)
    profile_image_removed.connect(receiver)
    yield calls
    profile_image_uploaded.disconnect(receiver)
    profile_image_removed.disconnect(receiver)


class TestSetProfileImage:
    @pytest.mark.parametrize("extension", [".jpg", ".jpeg", ".png", ".gif", ".GIF"])
    def test_every_size_is_a_square_jpeg(self, learner, profile_storage, extension):
        profile = set_profile_image(learner, uploaded_image(extension, size=(300, 200)))
        assert profile.has_profile_image
        assert profile_storage.files() == names_of(profile)
        for name in names_of(profile):
            with profile_storage.storage.open(name) as stored:
                img = Image.open(io.BytesIO(stored.read()))
                side = int(name.split("_")[1])
                assert (img.format, img.size) == ("JPEG", (side, side))

    def test_accepts_a_username(self, learner, profile_storage):
        assert set_profile_image("learner", uploaded_image()).user_id == learner.id

    def test_replace_writes_new_files_before_deleting_old_ones_on_commit(
            self, learner, uploaded, profile_storage, django_capture_on_commit_callbacks):
        old = names_of(uploaded)
        with django_capture_on_commit_callbacks() as callbacks:
            profile = set_profile_image(learner, uploaded_image(".jpg"))
        new = names_of(profile)
        assert old.isdisjoint(new)
        # Committed state before the callbacks run: the profile points at the new
        # files, and the old ones, still cached by clients, all exist.
        assert fresh(profile).profile_image_version == profile.profile_image_version
        assert profile_storage.files() == old | new
        assert [op for op, _ in profile_storage.journal] == ["save"] * 4
        for callback in callbacks:
            callback()
        assert profile_storage.files() == new
        assert profile_storage.journal[4:] == [("delete", name) for name in sorted(old, key=self.side_order)]

    @staticmethod
    def side_order(name):
        return list(SIZES.values()).index(int(name.split("_")[1]))

    def test_storage_failure_midway_keeps_the_old_images(self, learner, uploaded, profile_storage, received,
                                                         django_capture_on_commit_callbacks):
        urls_before = get_profile_image_urls(learner)
        profile_storage.use(fail_on_save=3)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ProfileImageStorageError):
            set_profile_image(learner, uploaded_image(".jpg"))
        assert fresh(uploaded).profile_image_version == uploaded.profile_image_version
        assert fresh(uploaded).profile_image_uploaded_at == uploaded.profile_image_uploaded_at
        assert profile_storage.files() == names_of(uploaded)
        saved = [name for op, name in profile_storage.journal if op == "save"]
        assert len(saved) == 2
        assert [name for op, name in profile_storage.journal if op == "delete"] == saved
        assert get_profile_image_urls(learner) == urls_before
        assert received == []

    def test_database_failure_deletes_the_new_files(self, learner, uploaded, profile_storage, received,
                                                    django_capture_on_commit_callbacks):
        with mock.patch.object(LearnerProfile, "save", side_effect=DatabaseError("down")), \
                django_capture_on_commit_callbacks(execute=True), pytest.raises(DatabaseError):
            set_profile_image(learner, uploaded_image(".jpg"))
        assert profile_storage.files() == names_of(uploaded)
        assert fresh(uploaded).profile_image_version == uploaded.profile_image_version
        assert received == []

    def test_a_rolled_back_caller_keeps_the_old_images(self, learner, uploaded, profile_storage):
        with pytest.raises(RuntimeError), transaction.atomic():
            set_profile_image(learner, uploaded_image(".jpg"))
            raise RuntimeError("caller fails later")
        assert fresh(uploaded).profile_image_version == uploaded.profile_image_version
        assert names_of(uploaded) <= profile_storage.files()

    @pytest.mark.parametrize("upload, message", [
        (lambda: SimpleUploadedFile("photo.bmp", image_bytes("BMP"), "image/bmp"),
         "The file must be one of the following types"),
        (lambda: uploaded_image(".png", content_type="image/gif"), "The Content-Type header"),
        (lambda: SimpleUploadedFile("photo.jpg", image_bytes("PNG"), "image/jpeg"), "The file name extension"),
    ])
    def test_invalid_files_write_nothing(self, learner, profile_storage, upload, message):
        with pytest.raises(ImageValidationError, match=message):
            set_profile_image(learner, upload())
        assert profile_storage.journal == []
        assert not LearnerProfile.objects.filter(user=learner, profile_image_uploaded_at__isnull=False).exists()

    def test_a_corrupt_image_writes_nothing(self, learner, profile_storage):
        upload = uploaded_image(".png")
        data = upload.read()[:120]
        upload.file = io.BytesIO(data)
        upload.size = len(data)
        with pytest.raises(ImageValidationError, match="could not be read"):
            set_profile_image(learner, upload)
        assert profile_storage.journal == []

    def test_signal_sent_only_on_commit(self, learner, profile_storage, received, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            profile = set_profile_image(learner, uploaded_image())
        assert received == []
        for callback in callbacks:
            callback()
        assert received == [(profile_image_uploaded, {"user": learner,
                                                      "uploaded_at": profile.profile_image_uploaded_at})]

    def test_logs_the_names(self, learner, profile_storage, caplog):
        caplog.set_level("INFO", logger="openedx_learner_apis.applets.profile_images.api")
        profile = set_profile_image(learner, uploaded_image())
        assert caplog.records[-1].getMessage() == (
            f"generated and uploaded images {list(sorted(names_of(profile), key=TestSetProfileImage.side_order))} "
            f"for user {learner.id}")

    def test_legacy_unversioned_images_are_replaced(self, learner, profile_storage,
                                                    django_capture_on_commit_callbacks):
        """Images migrated from Open edX (no version) are served, then deleted after a new upload."""
        stem = username_hash("learner")
        legacy = {f"{stem}_{side}.jpg" for side in SIZES.values()}
        for name in legacy:
            profile_storage.storage.save(name, io.BytesIO(b"old"))
        get_or_create_profile(learner, profile_image_uploaded_at=datetime(2020, 1, 1, tzinfo=timezone.utc))
        assert get_profile_image_urls(learner)["image_url_full"].startswith(f"{STORAGE_BASE_URL}{stem}_500.jpg?v=")
        with django_capture_on_commit_callbacks(execute=True):
            profile = set_profile_image(learner, uploaded_image())
        assert profile_storage.files() == names_of(profile)


class TestRemoveProfileImage:
    def test_remove_clears_the_profile_then_deletes_the_files_on_commit(
            self, learner, uploaded, profile_storage, received, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks() as callbacks:
            assert remove_profile_image(learner) is True
        profile = fresh(uploaded)
        assert (profile.profile_image_uploaded_at, profile.profile_image_version) == (None, "")
        assert profile_storage.files() == names_of(uploaded)
        assert received == []
        for callback in callbacks:
            callback()
        assert profile_storage.files() == set()
        assert received == [(profile_image_removed, {"user": learner})]

    def test_remove_without_image(self, learner, profile_storage, received, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            assert remove_profile_image(learner) is False
        assert not LearnerProfile.objects.filter(user=learner).exists()
        assert profile_storage.journal == [] and received == []

    def test_database_failure_keeps_everything(self, learner, uploaded, profile_storage, received,
                                               django_capture_on_commit_callbacks):
        with mock.patch.object(LearnerProfile, "save", side_effect=DatabaseError("down")), \
                django_capture_on_commit_callbacks(execute=True), pytest.raises(DatabaseError):
            remove_profile_image(learner)
        assert fresh(uploaded).has_profile_image
        assert profile_storage.files() == names_of(uploaded)
        assert profile_storage.journal == [] and received == []

    def test_storage_failure_after_commit_is_logged(self, learner, uploaded, profile_storage, caplog,
                                                    django_capture_on_commit_callbacks):
        profile_storage.use(fail_on_delete=True)
        with django_capture_on_commit_callbacks(execute=True):
            assert remove_profile_image(learner) is True
        assert not fresh(uploaded).has_profile_image
        assert "Could not delete profile image" in caplog.text


class TestGetProfileImageUrls:
    def test_defaults_without_image(self, learner, settings):
        settings.OPENEDX_LEARNER_APIS = {"PROFILE_IMAGE_DEFAULT_FILENAME": "default",
                                         "PROFILE_IMAGE_SIZES_MAP": {"full": 50, "small": 10}}
        assert get_profile_image_urls(learner) == {"has_image": False, "image_url_full": "/static/default_50.png",
                                                   "image_url_small": "/static/default_10.png"}

    def test_defaults_absolute_with_a_request(self, learner):
        urls = get_profile_image_urls(learner, absolute_url=RequestFactory().get("/").build_absolute_uri)
        assert urls["image_url_medium"] == "http://testserver/static/images/profiles/default_50.png"

    def test_uploaded_image_urls(self, learner, uploaded, settings):
        """Storage URL + ``?v=<epoch seconds>`` for every size, then defaults after removal."""
        uploaded.profile_image_uploaded_at = datetime(2002, 1, 9, 15, 43, 1, tzinfo=timezone.utc)
        uploaded.save()
        stem = username_hash("learner")
        version = uploaded.profile_image_version
        settings.OPENEDX_LEARNER_APIS = {**settings.OPENEDX_LEARNER_APIS,
                                         "PROFILE_IMAGE_SIZES_MAP": {"full": 50, "small": 10}}
        assert get_profile_image_urls("learner") == {
            "has_image": True,
            "image_url_full": f"{STORAGE_BASE_URL}{stem}_50_{version}.jpg?v=1010590981",
            "image_url_small": f"{STORAGE_BASE_URL}{stem}_10_{version}.jpg?v=1010590981",
        }
        remove_profile_image(learner)
        assert get_profile_image_urls("learner")["image_url_full"] == "/static/images/profiles/default_50.png"

    def test_relative_storage_urls_become_absolute(self, learner, uploaded, profile_storage):
        profile_storage.use(base_url="/media/profile-images/")
        request = RequestFactory().get("/", HTTP_HOST="lms.example.com")
        urls = get_profile_image_urls("learner", absolute_url=request.build_absolute_uri)
        assert urls["image_url_small"].startswith("http://lms.example.com/media/profile-images/")
        assert urls["image_url_small"].endswith(f"?v={int(uploaded.profile_image_uploaded_at.timestamp())}")

    def test_signed_storage_urls_keep_their_query(self, learner, uploaded, profile_storage):
        profile_storage.use(SIGNED_URL_STORAGE)
        absolute_url = RequestFactory().get("/").build_absolute_uri
        url = get_profile_image_urls("learner", absolute_url=absolute_url)["image_url_large"]
        assert url.startswith("https://cdn.example.com/profile-images/")
        assert url.endswith(f".jpg?signature=abc%3D&expires=99&v={int(uploaded.profile_image_uploaded_at.timestamp())}")

    def test_the_callers_user_sees_the_new_image(self, learner, profile_storage):
        assert get_profile_image_urls(learner)["has_image"] is False
        set_profile_image(learner, uploaded_image())
        assert get_profile_image_urls(learner)["has_image"] is True
        remove_profile_image(learner)
        assert get_profile_image_urls(learner)["has_image"] is False

    def test_one_query_for_a_user_none_with_the_profile_selected(self, learner, uploaded,
                                                                  django_assert_num_queries):
        users = get_user_model().objects
        user, joined = users.get(pk=learner.pk), users.select_related("learner_profile").get(pk=learner.pk)
        with django_assert_num_queries(1):
            expected = get_profile_image_urls(user)
        with django_assert_num_queries(0):
            assert get_profile_image_urls(joined) == expected


class TestQueryCounts:
    """Counts inside the test transaction: each ``atomic`` adds a SAVEPOINT and its RELEASE."""

    def test_first_upload(self, learner, profile_storage, django_assert_num_queries):
        upload = uploaded_image()
        with django_assert_num_queries(6):
            set_profile_image(learner, upload)

    def test_replace(self, learner, uploaded, django_assert_num_queries):
        upload = uploaded_image()
        with django_assert_num_queries(4):
            set_profile_image(learner, upload)

    def test_remove(self, learner, uploaded, django_assert_num_queries):
        with django_assert_num_queries(4):
            remove_profile_image(learner)

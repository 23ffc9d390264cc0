"""Storages, images and the ``profile_storage`` fixture shared by the profile image tests."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


class JournalStorage(FileSystemStorage):
    """A file system storage that writes every save and delete to ``journal`` and can be told to fail.

    ``fail_on_save=3`` makes the third save of this instance raise ``OSError``;
    ``fail_on_delete`` makes every delete raise.
    """

    def __init__(self, *, journal: list | None = None, fail_on_save: int | None = None,
                 fail_on_delete: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.journal = journal if journal is not None else []
        self.fail_on_save = fail_on_save
        self.fail_on_delete = fail_on_delete
        self.saves = 0

    def _save(self, name, content):
        self.saves += 1
        if self.saves == self.fail_on_save:
            raise OSError("disk full")
        name = super()._save(name, content)
        self.journal.append(("save", name))
        return name

    def delete(self, name):
        if self.fail_on_delete:
            raise OSError("storage unavailable")
        self.journal.append(("delete", name))
        super().delete(name)


class SignedUrlStorage(FileSystemStorage):
    """Answers absolute URLs that already carry a query string, like signed S3 URLs."""

    def url(self, name):
        return f"https://cdn.example.com/profile-images/{name}?signature=abc%3D&expires=99"


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    """A noisy RGB image (noise keeps every format above the 100-byte minimum)."""
    img = Image.effect_noise(size, 60).convert("RGB")
    buffer = io.BytesIO()
    img.save(buffer, format=fmt)
    return buffer.getvalue()


FORMAT_OF_EXTENSION = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".gif": "GIF"}
CONTENT_TYPE_OF_EXTENSION = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif"}


def uploaded_image(extension: str = ".jpg", *, name: str = "photo", size: tuple[int, int] = (64, 48),
                   content_type: str | None = None) -> SimpleUploadedFile:
    """An uploaded file as Django's multipart parser would hand it over."""
    key = extension.lower()
    return SimpleUploadedFile(f"{name}{extension}", image_bytes(FORMAT_OF_EXTENSION[key], size),
                              content_type=content_type or CONTENT_TYPE_OF_EXTENSION[key])


JOURNAL_STORAGE = "tests.applets.profile_images.storages.JournalStorage"
SIGNED_URL_STORAGE = "tests.applets.profile_images.storages.SignedUrlStorage"
STORAGE_BASE_URL = "http://example-storage.com/profile-images/"


class ProfileStorage:
    """The ``profile_image`` storage alias of one test, pointed at a temporary directory."""

    def __init__(self, settings, location):
        self.settings = settings
        self.location = str(location)
        self.journal: list[tuple[str, str]] = []
        self.use()

    def use(self, backend: str = JOURNAL_STORAGE, **options):
        """Reconfigure the alias (Django then builds a fresh instance) and return the storage."""
        if backend == JOURNAL_STORAGE:
            options = {"journal": self.journal, **options}
        self.settings.STORAGES = {
            **self.settings.STORAGES,
            "profile_image": {"BACKEND": backend,
                              "OPTIONS": {"location": self.location, "base_url": STORAGE_BASE_URL, **options}},
        }
        return self.storage

    @property
    def storage(self):
        from django.core.files.storage import storages

        return storages["profile_image"]

    def files(self) -> set[str]:
        """Names of the files currently stored."""
        if not os.path.isdir(self.location):
            return set()
        return set(self.storage.listdir("")[1])


@pytest.fixture
def profile_storage(settings, tmp_path):
    """Profile images in a fresh directory, with seed ``secret`` and Open edX's test sizes."""
    settings.OPENEDX_LEARNER_APIS = {**settings.OPENEDX_LEARNER_APIS, "PROFILE_IMAGE_HASH_SEED": "secret"}
    return ProfileStorage(settings, tmp_path / "profile-images")

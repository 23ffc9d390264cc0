"""Where profile images live: the storage, the file names and the URLs served to clients.

File names are ``{hash}_{size}_{version}.jpg``: a new upload never
overwrites a served file, so no storage needs overwrite semantics.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils.translation import gettext_lazy as _

from ...conf import learner_apis_settings

log = logging.getLogger(__name__)

URL_KEY_PREFIX = "image_url_"
VERSION_PARAM = "v"


class ProfileImageStorageError(Exception):
    """The storage could not write the new images; whatever was written has been deleted again.

    Carries the same two messages as ``ImageValidationError`` so callers report both alike.
    """

    def __init__(self, developer_message: str):
        super().__init__(developer_message)
        self.developer_message = developer_message
        self.user_message = _("Your profile image could not be saved. Please try again later.")


def get_profile_image_storage() -> Storage:
    """The ``STORAGES`` alias named by ``PROFILE_IMAGE_STORAGE``, else the ``default`` storage."""
    alias = learner_apis_settings.PROFILE_IMAGE_STORAGE
    return storages[alias if alias in storages.backends else "default"]


def username_hash(username: str) -> str:
    """MD5 of seed + username, as Open edX names its files, so a URL does not reveal the username."""
    seed = learner_apis_settings.PROFILE_IMAGE_HASH_SEED
    return hashlib.md5(f"{seed}{username}".encode(), usedforsecurity=False).hexdigest()


def new_version() -> str:
    """A fresh, unguessable version for the next set of files (fits ``profile_image_version``)."""
    return secrets.token_hex(8)


def profile_image_names(username: str, version: str) -> dict[str, str]:
    """``{size name: file name}`` for every entry of ``PROFILE_IMAGE_SIZES_MAP``.

    An empty ``version`` gives Open edX's unversioned ``{hash}_{size}.jpg``, so images a
    host migrated from an Open edX platform keep being served (and are replaced cleanly).
    """
    stem = username_hash(username)
    suffix = f"_{version}" if version else ""
    return {name: f"{stem}_{side}{suffix}.jpg" for name, side in learner_apis_settings.PROFILE_IMAGE_SIZES_MAP.items()}


def save_profile_images(files: dict[str, bytes]) -> None:
    """Write every file (``{file name: JPEG bytes}``) or none of them.

    On any failure the files already written are deleted and ``ProfileImageStorageError``
    is raised, so a failed upload leaves nothing behind.
    """
    storage = get_profile_image_storage()
    written: list[str] = []
    try:
        for name, content in files.items():
            saved = storage.save(name, ContentFile(content))
            written.append(saved)
            if saved != name:
                raise ProfileImageStorageError(f"The storage saved {name!r} as {saved!r}; profile images need "
                                               "the exact name.")
    # Storage backends raise whatever their transport raises (OSError, botocore errors...).
    except Exception as exc:
        delete_profile_images(written)
        if isinstance(exc, ProfileImageStorageError):
            raise
        log.exception("Could not save profile images %s", list(files))
        raise ProfileImageStorageError(f"Upload failed for profile image: the storage raised "
                                       f"{exc.__class__.__name__}.") from exc


def delete_profile_images(names: Iterable[str]) -> list[str]:
    """Delete files, never raising; returns the names that could not be deleted (they are logged).

    Runs after the profile stopped pointing at the files, when nobody can be told about a
    failure any more: an orphan file is harmless, a crash here would not be.
    """
    storage = get_profile_image_storage()
    failed = []
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # same reason as in save_profile_images
            log.exception("Could not delete profile image %s", name)
            failed.append(name)
    return failed


def with_query_param(url: str, key: str, value) -> str:
    """``url`` with ``key=value`` added to its query string (signed storage URLs already have one)."""
    parts = urlsplit(url)
    pair = f"{key}={value}"
    return urlunsplit(parts._replace(query=f"{parts.query}&{pair}" if parts.query else pair))


def uploaded_image_urls(username: str, version: str, uploaded_at: datetime) -> dict[str, str]:
    """``{size name: URL}`` of an uploaded image, cache-busted with the upload time in epoch seconds."""
    storage = get_profile_image_storage()
    stamp = int(uploaded_at.timestamp())
    return {size: with_query_param(storage.url(name), VERSION_PARAM, stamp)
            for size, name in profile_image_names(username, version).items()}


def default_image_urls() -> dict[str, str]:
    """``{size name: URL}`` of the placeholder images in the static files."""
    stem = learner_apis_settings.PROFILE_IMAGE_DEFAULT_FILENAME
    extension = learner_apis_settings.PROFILE_IMAGE_DEFAULT_FILE_EXTENSION
    return {size: staticfiles_storage.url(f"{stem}_{side}.{extension}")
            for size, side in learner_apis_settings.PROFILE_IMAGE_SIZES_MAP.items()}

"""Public functions of the profile_images applet: upload, remove, and the URLs clients show.

A replace writes every new file first, then points the profile at them in one
transaction, then deletes the old files once that commits: at no
moment does a served URL lead to a missing file, and a failure changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.utils import timezone

from ...conf import learner_apis_settings
from ...core.users import as_user
from ...signals import profile_image_removed, profile_image_uploaded, send_on_commit
from ..learners.models import LearnerProfile
from .images import create_profile_images, validate_uploaded_image
from .storage import (
    URL_KEY_PREFIX,
    default_image_urls,
    delete_profile_images,
    new_version,
    profile_image_names,
    save_profile_images,
    uploaded_image_urls,
)

__all__ = ["set_profile_image", "remove_profile_image", "get_profile_image_urls"]

log = logging.getLogger(__name__)


def set_profile_image(user, file) -> LearnerProfile:
    """Make ``file`` (an uploaded JPEG, PNG, GIF, WebP, HEIC/HEIF or AVIF) the learner's profile image.

    Raises ``images.ImageValidationError`` for a file that cannot be used (its subclass
    ``UnsupportedImageTypeError`` for a format whose decoder is not installed) and
    ``storage.ProfileImageStorageError`` when the storage fails; in both cases the
    profile and the files it points at are untouched. Sends ``profile_image_uploaded``
    on commit.
    """
    user = as_user(user)
    image_format = validate_uploaded_image(file, min_bytes=learner_apis_settings.PROFILE_IMAGE_MIN_BYTES,
                                           max_bytes=learner_apis_settings.PROFILE_IMAGE_MAX_BYTES)
    rendered = create_profile_images(file, sizes=learner_apis_settings.PROFILE_IMAGE_SIZES_MAP,
                                     max_pixels=learner_apis_settings.PROFILE_IMAGE_MAX_PIXELS,
                                     expected_format=image_format)
    version = new_version()
    names = profile_image_names(user.username, version)
    save_profile_images({name: rendered[size] for size, name in names.items()})
    try:
        with transaction.atomic():
            fields = {"profile_image_version": version, "profile_image_uploaded_at": timezone.now()}
            # Locked, so that concurrent uploads each delete the files the other replaced.
            profile, created = LearnerProfile.objects.select_for_update().get_or_create(user=user, defaults=fields)
            stale = [] if created else _image_names(profile, user.username)
            if not created:
                for field, value in fields.items():
                    setattr(profile, field, value)
                profile.save(update_fields=list(fields))
    except Exception:
        delete_profile_images(names.values())
        raise
    user.learner_profile = profile
    # Registered after the block so that a failing callback cannot reach the cleanup above;
    # inside a caller's transaction they still wait for (and die with) that transaction.
    new_names = set(names.values())
    transaction.on_commit(partial(delete_profile_images, [name for name in stale if name not in new_names]),
                          robust=True)
    send_on_commit(profile_image_uploaded, type(user), user=user, uploaded_at=profile.profile_image_uploaded_at)
    log.info("generated and uploaded images %(image_names)s for user %(user_id)s",
             {"image_names": list(names.values()), "user_id": user.id})
    return profile


def remove_profile_image(user) -> bool:
    """Stop showing the learner's image and delete its files on commit; ``False`` if there was none.

    Sends ``profile_image_removed`` on commit when an image was removed.
    """
    user = as_user(user)
    with transaction.atomic():
        profile = LearnerProfile.objects.select_for_update().filter(user=user).first()
        if profile is None or not profile.has_profile_image:
            return False
        names = _image_names(profile, user.username)
        profile.profile_image_version = ""
        profile.profile_image_uploaded_at = None
        profile.save(update_fields=["profile_image_version", "profile_image_uploaded_at"])
    user.learner_profile = profile
    transaction.on_commit(partial(delete_profile_images, names), robust=True)
    send_on_commit(profile_image_removed, type(user), user=user)
    log.info("deleted images %(image_names)s for user %(user_id)s", {"image_names": names, "user_id": user.id})
    return True


def get_profile_image_urls(user, absolute_url: Callable[[str], str] | None = None) -> dict:
    """The ``profile_image`` object of the Accounts API: ``has_image`` and ``image_url_<size>`` per size.

    Uploaded images carry ``v=<upload epoch seconds>``; without an image the placeholders
    are returned. ``absolute_url`` (such as ``request.build_absolute_uri``) makes relative
    URLs absolute; the applet never sees the HTTP request. Reads
    ``user.learner_profile``, so callers listing many users can ``select_related`` it.
    """
    user = as_user(user)
    profile = getattr(user, "learner_profile", None) if user.pk else None
    has_image = bool(profile and profile.has_profile_image)
    if has_image:
        urls = uploaded_image_urls(user.username, profile.profile_image_version, profile.profile_image_uploaded_at)
    else:
        urls = default_image_urls()
    if absolute_url is not None:
        urls = {size: absolute_url(url) for size, url in urls.items()}
    return {"has_image": has_image, **{f"{URL_KEY_PREFIX}{size}": url for size, url in urls.items()}}


def _image_names(profile: LearnerProfile, username: str) -> list[str]:
    """The files the profile currently points at (none without an image), each once."""
    if not profile.has_profile_image:
        return []
    return list(dict.fromkeys(profile_image_names(username, profile.profile_image_version).values()))

"""Fixtures of the profile image endpoint tests."""

from tests.applets.profile_images.storages import profile_storage  # noqa: F401

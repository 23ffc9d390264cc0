"""Fixtures of the profile image applet tests."""

from tests.applets.profile_images.storages import profile_storage  # noqa: F401

"""Absolute URLs: a relative path made absolute on the LMS's root or on the host a request came to.

Below the REST layer nothing sees a request. Functions that build links take either a
``root`` (``LMS_ROOT_URL``: scheme and host, with or without a trailing slash) or an
*absolute-URL builder*: any ``Callable[[str], str]`` that makes a path absolute; the REST
layer passes ``request.build_absolute_uri``. Both leave an already absolute URL alone.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["AbsoluteUrlBuilder", "is_absolute", "lms_url", "on_root"]

AbsoluteUrlBuilder = Callable[[str], str]


def is_absolute(url: str) -> bool:
    """Whether ``url`` names its scheme and host (``https://...``), so that no root applies to it."""
    return "://" in url


def on_root(url: str | None, root: str | None) -> str | None:
    """``url`` made absolute on ``root``; unchanged when empty, already absolute, or when there is no root."""
    if not url or not root or is_absolute(url):
        return url
    return f"{root.rstrip('/')}/{url.lstrip('/')}"


def lms_url(path: str, *, root: str | None, absolute_url: AbsoluteUrlBuilder) -> str:
    """``path`` on the LMS: on ``root`` when one is configured, else made absolute by ``absolute_url``."""
    return on_root(path, root) if root else absolute_url(path)

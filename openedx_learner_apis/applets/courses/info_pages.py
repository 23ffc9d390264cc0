"""Course-info pages as the mobile apps show them: the handouts' HTML and the visible updates.

Both come from the course export (see ``olx/info_pages.py``). Served HTML is sanitized like
every other piece of author HTML this app hands out, and its site-relative links are made
absolute on the LMS, because an app's web view has no site to resolve them against:

* ``/static/{name}`` names a course asset: it becomes the asset's LMS URL
  ``/asset-v1:{org}+{course}+{run}+type@asset+block@{name}`` (``/`` in the name turns into
  ``_``, as Studio names uploaded files); ``?raw`` links and XBlock resources
  (``/static/xblock/...``) keep their path;
* ``/course/{path}`` and ``/jump_to_id/{id}`` point into the course:
  ``/courses/{course_id}/{path}`` and ``/courses/{course_id}/jump_to_id/{id}``;
* ``/c4x/...`` and ``/asset-v1:...`` asset links keep their path.

Only quoted links are rewritten (an attribute value, or a quoted string in the text).
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit, urlunsplit

from opaque_keys.edx.locator import AssetLocator

from ...core.sanitize import sanitize_html
from ...core.urls import on_root
from ...olx.info_pages import INFO_PAGES, VISIBLE, update_items
from .models import CourseInfoPage

HANDOUTS, UPDATES = INFO_PAGES
# What Studio stores for a course whose handouts were never written.
EMPTY_HANDOUTS = "<ol></ol>"

_LINK = re.compile(r"""(?P<quote>\\?["'])(?P<path>/(?:static/|c4x/|asset-v1:|course/|jump_to_id/).*?)(?P=quote)""")
_KEPT_STATIC = "/static/xblock/"


def asset_path(name: str, course_key) -> str:
    """The LMS path of the course asset ``name`` (query and fragment kept), percent-encoded."""
    parts = urlsplit(name)
    block = AssetLocator.clean_keeping_underscores(parts.path.replace("/", "_"))
    path = str(course_key.make_asset_key("asset", block))
    path = quote(path if path.startswith("/") else "/" + path, safe="/:+@%")
    return urlunsplit(("", "", path, parts.query, parts.fragment))


def lms_path(path: str, course_key) -> str:
    """The LMS path a site-relative link of the course's HTML stands for."""
    if path.startswith("/static/") and not path.startswith(_KEPT_STATIC) and not path.endswith("?raw"):
        return asset_path(path.removeprefix("/static/"), course_key)
    if path.startswith("/course/"):
        return f"/courses/{course_key}/{path.removeprefix('/course/')}"
    if path.startswith("/jump_to_id/"):
        return f"/courses/{course_key}/jump_to_id/{path.removeprefix('/jump_to_id/')}"
    return path


def absolute_links(html: str, course_key, *, root: str) -> str:
    """``html`` with its quoted site-relative links made absolute on ``root`` (the LMS's scheme and host)."""
    def rewrite(match) -> str:
        return f"{match['quote']}{on_root(lms_path(match['path'], course_key), root)}{match['quote']}"

    return _LINK.sub(rewrite, html)


def served_html(html: str, course_key, *, root: str) -> str | None:
    """Author HTML as served: sanitized, links absolute; ``None`` when nothing is left."""
    cleaned = sanitize_html(html.strip())
    return absolute_links(cleaned, course_key, root=root) if cleaned else None


def info_page(course, name: str) -> CourseInfoPage | None:
    """The course's ``handouts`` or ``updates`` page, or ``None`` when the course has none (one query)."""
    return CourseInfoPage.objects.filter(course=course, name=name).first()


def handouts_html(page: CourseInfoPage | None, course_key, *, root: str) -> str | None:
    """The handouts as served, or ``None``: no page, an empty one, or Studio's empty list."""
    if page is None or page.data.strip() in ("", EMPTY_HANDOUTS):
        return None
    return served_html(page.data, course_key, root=root)


def visible_updates(page: CourseInfoPage | None, course_key, *, root: str) -> list[dict]:
    """The updates the learner sees, newest first (the reverse of the stored order).

    Dates are the authors' free text, so the stored order is the only order there is. An
    update whose status is not ``visible`` (Studio marks removed ones ``deleted``) is left out.
    """
    if page is None:
        return []
    return [{"id": item["id"], "date": item["date"], "status": item["status"],
             "content": served_html(item["content"], course_key, root=root) or ""}
            for item in reversed(page.items) if item["status"] == VISIBLE]


def save_info_page(course, name: str, *, html: str = "", items=None) -> CourseInfoPage:
    """Create or replace one page of ``course``; ``items`` are checked and completed as an import does."""
    if name not in INFO_PAGES:
        raise ValueError(f"Unknown course-info page {name!r}; use one of {INFO_PAGES}.")
    values = {"data": html or "", "items": update_items(list(items or []), name)}
    return CourseInfoPage.objects.update_or_create(course=course, name=name, defaults=values)[0]


def replace_info_pages(course, pages: dict) -> None:
    """Make ``course``'s pages exactly ``pages`` (name -> ``OlxInfoPage``): pages the export lacks are removed."""
    CourseInfoPage.objects.filter(course=course).exclude(name__in=list(pages)).delete()
    for name, page in pages.items():
        CourseInfoPage.objects.update_or_create(course=course, name=name,
                                                defaults={"data": page.html, "items": page.items})

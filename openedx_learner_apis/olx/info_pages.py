"""The course-info pages of an export (handouts, updates) and the rule every stored update item follows.

Studio exports each page as ``info/{name}.html`` (its HTML) and, for the updates,
``info/{name}.items.json``: the list of updates, oldest first, each
``{"id", "date", "content", "status"}``. A page in ``info/{run}/`` takes the place of the
one in ``info/`` for that run, as the platform's XML import reads it. Pure Python; problems
are :class:`~.course.OlxImportError`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .course import OlxImportError
from .safe_xml import parse_json
from .sources import ExportFiles
from .values import to_number, to_str

INFO_PAGES = ("handouts", "updates")
VISIBLE = "visible"


@dataclass
class OlxInfoPage:
    """One course-info page: its HTML and, for the updates, its items (oldest first)."""

    name: str
    html: str = ""
    items: list[dict] = field(default_factory=list)


def read_info_pages(files: ExportFiles, run: str) -> dict[str, OlxInfoPage]:
    """The handouts and updates pages of an export, by name; absent pages are left out."""
    folders = (f"info/{run.replace(':', '/')}/", "info/")
    pages = {}
    for name in INFO_PAGES:
        html = _first(files, [f"{folder}{name}.html" for folder in folders])
        items = _first(files, [f"{folder}{name}.items.json" for folder in folders], with_path=True)
        if html is None and items is None:
            continue
        page = OlxInfoPage(name, html=html.decode("utf-8", errors="replace").strip() if html is not None else "")
        if items is not None:
            path, data = items
            page.items = update_items(parse_json(data, path), path)
        pages[name] = page
    return pages


def _first(files: ExportFiles, paths: list[str], *, with_path: bool = False):
    for path in paths:
        data = files.read_optional(path)
        if data is not None:
            return (path, data) if with_path else data
    return None


def update_items(raw, path: str) -> list[dict]:
    """Each update as ``{"id", "date", "content", "status"}``; an update without an id is numbered by its place.

    A missing status is ``visible``. The same rule completes items written directly through
    the courses applet, so a page reads the same however it was stored.
    """
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise OlxImportError(f"{path}: expected a list of objects")
    items = []
    for position, item in enumerate(raw, start=1):
        item_id = to_number(item.get("id"), int, f"{path}: update {position} id")
        items.append({
            "id": position if item_id is None else item_id,
            "date": to_str(item.get("date")),
            "content": to_str(item.get("content")),
            "status": to_str(item.get("status")) or VISIBLE,
        })
    return items

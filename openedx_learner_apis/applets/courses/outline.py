"""A course outline held in memory: read with one query (or from the cache), walked without queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from opaque_keys.edx.keys import CourseKey, UsageKey

from ...core.cache import ProcessMemo
from ...olx.course import BLOCK_SETTINGS, BlockSettings
from .cache import cached_per_course, generations, invalidate_course_cache
from .models import Block

# What a block holds besides its place in the tree: written by content imports, read into outlines.
BLOCK_FIELDS = ("block_type", "position", *BLOCK_SETTINGS, "fields")
OUTLINE_FIELDS = ("id", "parent_id", "usage_key", *BLOCK_FIELDS)


@dataclass
class OutlineBlock(BlockSettings):
    """One block of an outline, linked to its parent and children."""

    id: int
    parent_id: int | None
    usage_key: UsageKey
    block_type: str
    position: int
    fields: dict
    children: list[OutlineBlock] = field(default_factory=list, repr=False)
    parent: OutlineBlock | None = field(default=None, repr=False)

    def ancestors(self) -> list[OutlineBlock]:
        """From the parent up to the course root."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def descendants(self):
        """Every block below this one, depth first, in course order."""
        for child in self.children:
            yield child
            yield from child.descendants()


class CourseOutline:
    """The whole block tree of one course."""

    def __init__(self, course_key: CourseKey, rows: list[dict]):
        self.course_key = course_key
        self.blocks: dict[UsageKey, OutlineBlock] = {}
        by_id: dict[int, OutlineBlock] = {}
        for row in rows:  # rows come in preorder: parents before children, siblings in order
            block = OutlineBlock(**row)
            by_id[block.id] = block
            self.blocks[block.usage_key] = block
        self.root: OutlineBlock | None = None
        for block in by_id.values():
            parent = by_id.get(block.parent_id)
            if parent is None:
                self.root = self.root or block
            else:
                block.parent = parent
                parent.children.append(block)

    def __contains__(self, usage_key) -> bool:
        return usage_key in self.blocks

    def __len__(self) -> int:
        return len(self.blocks)

    def get(self, usage_key) -> OutlineBlock | None:
        return self.blocks.get(usage_key)

    def of_type(self, block_type: str) -> list[OutlineBlock]:
        return [block for block in self.blocks.values() if block.block_type == block_type]

    def derived(self, name: str, compute):
        """``compute(self)``, computed once per outline and kept on it under ``name``.

        For what depends on the outline alone (say, its graded structure): outlines are
        shared between requests and never change, so neither does what is derived from them.
        Two threads may compute it at once; both get an equal value.
        """
        values = self.__dict__.setdefault("_derived", {})
        if name not in values:
            values[name] = compute(self)
        return values[name]


def _rows(course_keys) -> dict:
    grouped: dict = {key: [] for key in course_keys}
    queryset = (Block.objects.filter(course__course_key__in=list(course_keys))
                .order_by("course_id", "preorder")
                .values("course__course_key", *OUTLINE_FIELDS))
    for row in queryset:
        # The column compares case-insensitively on some databases: a course whose key is spelled
        # otherwise than requested is another course, and its blocks are not this outline's.
        course_key = row.pop("course__course_key")
        if course_key in grouped:
            grouped[course_key].append(row)
    return grouped


# The last outlines this process built, under (course key, generation token): unpickling rows
# and linking the tree costs ~10 ms for a 400-block course, more than the cache round trips,
# so a repeat read costs one round trip. The token makes a write visible at once (the rule of
# ``core.cache.ProcessMemo``); outlines are shared between requests: callers treat them as read-only.
built_outlines = ProcessMemo(size=64)


def get_outlines(course_keys, *, tokens: dict | None = None) -> dict[CourseKey, CourseOutline]:
    """Outlines of several courses: built ones from this process, else the cache, else one query.

    ``tokens`` are the courses' generations when the caller already read them (before reading
    any of their rows), as :meth:`GenerationCache.cached` takes them.
    """
    course_keys = list(dict.fromkeys(course_keys))
    if not course_keys:
        return {}
    # Tokens first: rows read after this point are at least as new as the token they are kept under.
    if tokens is None or any(key not in tokens for key in course_keys):
        tokens = generations(course_keys)
    result = {key: built_outlines.get((key, tokens[key])) for key in course_keys}
    missing = [key for key, outline in result.items() if outline is None]
    if missing:
        rows_by_course = cached_per_course("outline", missing, _rows, tokens=tokens)
        for key in missing:
            result[key] = CourseOutline(key, rows_by_course.get(key, []))
            built_outlines.put((key, tokens[key]), result[key])
    return result


def get_outline(course_key: CourseKey) -> CourseOutline:
    """The outline of one course (empty when the course has none)."""
    return get_outlines([course_key])[course_key]


def invalidate_outline(course_key: CourseKey) -> None:
    """Forget the cached outline and overview of a course (see ``cache.py`` for why this is race-free)."""
    invalidate_course_cache(course_key)

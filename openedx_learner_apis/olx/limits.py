"""The bounds an OLX reading respects, passed in by the caller rather than read from globals or settings.

An export is untrusted input: without bounds a small archive can ask for gigabytes of memory
(a compressed run of zeros), millions of blocks, or a tree deep enough to exhaust the stack.
Every reading gets an :class:`OlxLimits`; :data:`DEFAULT_LIMITS` fits the largest real courses
with room to spare. A caller tightens one bound with ``dataclasses.replace(DEFAULT_LIMITS, ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OlxLimits:
    """How much of an export a reading may take in; going past any bound refuses the whole export."""

    #: Bytes of one XML, JSON or HTML file that is read.
    max_member_bytes: int = 10 * 1024 * 1024
    #: Bytes of all the XML, JSON and HTML files read together.
    max_total_bytes: int = 200 * 1024 * 1024
    #: Declared size of every member of a tar archive, the unread assets included.
    max_archive_bytes: int = 2 * 1024 * 1024 * 1024
    #: Members of a tar archive (files, folders, anything).
    max_archive_members: int = 100_000
    #: Blocks of the course, the course itself included.
    max_blocks: int = 50_000
    #: Block nesting; the course is level 1.
    max_depth: int = 32
    #: Longest value of an unrecognised attribute kept in ``OlxBlock.fields``; longer ones are dropped.
    max_field_chars: int = 500


DEFAULT_LIMITS = OlxLimits()

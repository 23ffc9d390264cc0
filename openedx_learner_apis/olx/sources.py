"""The files of an export, from a directory or a tar archive, read without ever leaving the export.

Only what the reader needs is read: ``.xml`` and ``.json`` files, ``about/*.html`` and the
course-info pages (``info/*.html``, ``info/{run}/*.html``); ``static/`` (assets) and ``drafts/``
(unpublished content) are skipped. Paths are relative to the folder holding ``course.xml``.

Safety rules, each refusing the whole export with an :class:`~.course.OlxImportError`:

* an absolute path, a ``..`` component or a NUL byte in a member name or a referenced path;
* a link or a special file: in an archive any such member, in a directory any path that goes
  through a symlink (an export could otherwise read any file of the server);
* a file, the files read together, the archive or its member count past the caller's
  :class:`~.limits.OlxLimits` (sizes are checked before reading, and again on what was read);
* two archive members with the same path, or no ``course.xml`` (or several) to start from.
"""

from __future__ import annotations

import io
import os
import re
import stat
import tarfile
import zlib
from pathlib import Path

from .course import OlxImportError
from .limits import OlxLimits

try:  # lzma is an optional part of the standard library
    import lzma

    _LZMA_ERRORS: tuple = (lzma.LZMAError,)
except ImportError:  # pragma: no cover
    _LZMA_ERRORS = ()

_ABOUT_RE = re.compile(r"^about/([A-Za-z0-9_.\-]+)\.html$")


def safe_parts(path: str, what: str) -> list[str]:
    """A relative posix path split in parts; absolute paths, ``..`` components and NUL bytes are refused."""
    if "\x00" in path:
        raise OlxImportError(f"{what}: NUL byte in path {path!r}")
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        raise OlxImportError(f"{what}: absolute path {path!r} is not allowed")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    for part in parts:
        if part == ".." or ".." in part.split("\\"):
            raise OlxImportError(f"{what}: path traversal in {path!r}")
    return parts


def _wanted(rel_parts: list[str]) -> bool:
    """Whether the reader needs a file (its path in parts, possibly below a top folder)."""
    if any(p in ("static", "drafts") for p in rel_parts[:-1]):
        return False
    name = rel_parts[-1]
    if name.endswith((".xml", ".json")):
        return True
    return name.endswith(".html") and len(rel_parts) >= 2 and (
        rel_parts[-2] in ("about", "info") or (len(rel_parts) >= 3 and rel_parts[-3] == "info"))


class _Reads:
    """The bytes read so far, held against the per-file and the total limit."""

    def __init__(self, limits: OlxLimits):
        self.limits = limits
        self.used = 0

    def check_size(self, size: int, what: str):
        if size > self.limits.max_member_bytes:
            raise OlxImportError(f"{what}: file too large ({size} bytes, limit {self.limits.max_member_bytes})")

    def take(self, size: int, what: str):
        self.check_size(size, what)
        self.used += size
        if self.used > self.limits.max_total_bytes:
            raise OlxImportError(
                f"{what}: the course export holds more than {self.limits.max_total_bytes} bytes of XML/JSON"
            )


class ExportFiles:
    """Read-only view of an export's files, by path relative to the folder holding ``course.xml``."""

    label = "course export"

    def read(self, rel: str, referenced_from: str | None = None) -> bytes:
        """The file's bytes; a missing file refuses the export, naming the file that pointed at it."""
        data = self.read_optional(rel)
        if data is None:
            where = f" (referenced from {referenced_from})" if referenced_from else ""
            raise OlxImportError(f"{self.label}: missing file {rel!r}{where}")
        return data

    def read_optional(self, rel: str) -> bytes | None:  # pragma: no cover - abstract
        """The file's bytes, or ``None`` when there is no such file."""
        raise NotImplementedError

    def about_names(self) -> list[str]:  # pragma: no cover - abstract
        """The names of the ``about/{name}.html`` pages, sorted."""
        raise NotImplementedError


class TarFiles(ExportFiles):
    """The needed members of a tar archive (any compression), read into memory in one streaming pass."""

    def __init__(self, fileobj, label: str, limits: OlxLimits):
        self.label = label
        reads = _Reads(limits)
        found: dict[str, bytes] = {}
        members = declared = 0
        try:
            with tarfile.open(fileobj=fileobj, mode="r|*") as archive:
                for member in archive:
                    members += 1
                    if members > limits.max_archive_members:
                        raise OlxImportError(f"{label}: more than {limits.max_archive_members} members")
                    declared += max(member.size, 0)
                    if declared > limits.max_archive_bytes:
                        raise OlxImportError(f"{label}: archive content exceeds {limits.max_archive_bytes} bytes")
                    parts = safe_parts(member.name, f"{label}: member")
                    if member.isdir():
                        continue
                    if not member.isreg():
                        kind = "link" if (member.issym() or member.islnk()) else "special file"
                        raise OlxImportError(
                            f"{label}: member {member.name!r} is a {kind}; only regular files are allowed")
                    if not parts or not _wanted(parts):
                        continue
                    rel = "/".join(parts)
                    reads.check_size(member.size, f"{label}: {rel}")
                    handle = archive.extractfile(member)
                    data = handle.read(limits.max_member_bytes + 1) if handle is not None else b""
                    reads.take(len(data), f"{label}: {rel}")
                    if rel in found:
                        raise OlxImportError(f"{label}: duplicate member {rel!r}")
                    found[rel] = data
        except OlxImportError:
            raise
        except (tarfile.TarError, OSError, EOFError, zlib.error, *_LZMA_ERRORS) as exc:
            raise OlxImportError(f"{label}: not a readable tar archive ({exc})") from exc
        prefix = self._course_folder(found)
        self._files = {n[len(prefix):]: data for n, data in found.items() if n.startswith(prefix)}

    def _course_folder(self, found: dict) -> str:
        """``""`` when ``course.xml`` is at the root, else its single top folder with a trailing slash."""
        candidates = sorted(n for n in found if n == "course.xml" or (n.count("/") == 1 and n.endswith("/course.xml")))
        if not candidates:
            raise OlxImportError(f"{self.label}: no course.xml at the root or in a single top folder")
        if "course.xml" in candidates:
            return ""
        if len(candidates) == 1:
            return candidates[0][: -len("course.xml")]
        raise OlxImportError(f"{self.label}: several course.xml files ({', '.join(candidates)})")

    def read_optional(self, rel: str) -> bytes | None:
        return self._files.get("/".join(safe_parts(rel, self.label)))

    def about_names(self) -> list[str]:
        return sorted(m.group(1) for n in self._files if (m := _ABOUT_RE.match(n)))


class DirFiles(ExportFiles):
    """Files below a directory, read when asked for; symlinks and special files are refused."""

    def __init__(self, root: Path, label: str, limits: OlxLimits):
        self.label = label
        self.root = root
        self.limits = limits
        self.reads = _Reads(limits)

    def _lstat(self, path: Path):
        try:
            return os.lstat(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise OlxImportError(f"{self.label}: cannot read {path} ({exc})") from exc

    def read_optional(self, rel: str) -> bytes | None:
        parts = safe_parts(rel, self.label)
        if not parts:
            return None
        path = self.root
        for index, part in enumerate(parts):
            path = path / part
            info = self._lstat(path)
            if info is None:
                return None
            if stat.S_ISLNK(info.st_mode):
                raise OlxImportError(f"{self.label}: {rel!r} goes through a symlink")
            last = index == len(parts) - 1
            if not last and not stat.S_ISDIR(info.st_mode):
                return None
        if not stat.S_ISREG(info.st_mode):
            raise OlxImportError(f"{self.label}: {rel!r} is not a regular file")
        self.reads.check_size(info.st_size, f"{self.label}: {rel}")
        try:
            with open(path, "rb") as handle:
                data = handle.read(self.limits.max_member_bytes + 1)
        except OSError as exc:
            raise OlxImportError(f"{self.label}: cannot read {rel!r} ({exc})") from exc
        self.reads.take(len(data), f"{self.label}: {rel}")
        return data

    def about_names(self) -> list[str]:
        about = self.root / "about"
        info = self._lstat(about)
        if info is None or not stat.S_ISDIR(info.st_mode):
            return []
        names = []
        with os.scandir(about) as entries:
            for entry in entries:
                match = _ABOUT_RE.match(f"about/{entry.name}")
                if match and entry.is_file(follow_symlinks=False):
                    names.append(match.group(1))
        return sorted(names)


def open_source(source, limits: OlxLimits) -> ExportFiles:
    """The files of ``source``: the bytes or a binary file object of a tar archive, or a path to one or to a folder.

    A folder is the one holding ``course.xml``, or its parent when exactly one sub-folder
    (``course/`` first) holds one.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return TarFiles(io.BytesIO(bytes(source)), "archive", limits)
    if hasattr(source, "read"):
        return TarFiles(source, getattr(source, "name", None) or "archive", limits)
    if not isinstance(source, (str, os.PathLike)):
        raise OlxImportError(f"unsupported OLX source {type(source).__name__}")
    path = Path(os.fspath(source))
    label = str(path)
    try:
        if path.is_dir():
            return DirFiles(_course_dir(path.resolve(), label), label, limits)
        if path.is_file():
            with open(path, "rb") as handle:
                return TarFiles(handle, label, limits)
    except OSError as exc:
        raise OlxImportError(f"{label}: cannot read ({exc})") from exc
    raise OlxImportError(f"{label}: no such file or directory")


def _course_dir(root: Path, label: str) -> Path:
    if (root / "course.xml").is_file():
        return root
    preferred = root / "course"
    if (preferred / "course.xml").is_file() and not preferred.is_symlink():
        return preferred
    candidates = sorted(
        child for child in root.iterdir()
        if child.is_dir() and not child.is_symlink() and (child / "course.xml").is_file()
    )
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise OlxImportError(f"{label}: no course.xml in the directory or in a sub-folder")
    raise OlxImportError(f"{label}: several sub-folders hold a course.xml")


"""
Safe, pure-Python reader of Open edX course exports (OLX) into plain dataclasses.

Nothing here touches Django models, settings or the disk beyond reading the given
source. The entry point is :func:`read_olx`; every problem (hostile or merely
broken input) is reported as :class:`OlxImportError` and nothing is partially
returned.

Supported layout (the one Studio exports)::

    course.xml                          <course url_name="RUN" org="ORG" course="NUMBER"/>
    course/RUN.xml                      course attributes and <chapter url_name=.../> children
    chapter/ sequential/ vertical/      one file per block, referenced by url_name
    html/ problem/ video/ <type>/       leaf blocks (only the attributes are read)
    policies/RUN/policy.json            {"course/RUN": {...}, "chapter/x": {...}}
    policies/RUN/grading_policy.json    {"GRADER": [...], "GRADE_CUTOFFS": {...}}
    about/*.html                        short_description, effort, overview ...
    info/handouts.html, info/updates.*  the course-info pages (see olx_info.py)

Rules mirrored from the platform's XML import:

* a child element is a *pointer* when it has no children, no text and exactly one
  attribute, ``url_name`` (for ``course.xml``: ``url_name``, ``org`` and ``course``);
  the definition is then read from ``{tag}/{url_name}.xml`` (``:`` in a url_name
  maps to a sub-folder). Any other child element is an inline definition;
* a policy entry ``"{block_type}/{url_name}"`` overrides/adds block attributes;
* ``graded``, ``start``, ``due`` and ``hide_from_toc`` are inherited down the tree
  when not set on the block; ``visible_to_staff_only`` is true when the block or
  any ancestor sets it; ``format`` and the sequence/exam flags are not inherited;
* ``wiki`` and ``textbook`` children of the course, ``show`` children of a
  conditional and XBlock asides are not blocks; the ``drafts/`` and ``static/``
  folders are ignored (published content only, assets are not read).
"""
from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import stat
import tarfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey
from opaque_keys.edx.locator import CourseLocator

try:  # optional compression module
    import lzma

    _LZMA_ERRORS: tuple = (lzma.LZMAError,)
except ImportError:  # pragma: no cover
    _LZMA_ERRORS = ()

__all__ = ["OlxBlock", "OlxCourse", "OlxImportError", "read_olx"]

# ---------------------------------------------------------------------------
# Limits (module level so a deployment can tune them; read at call time)
# ---------------------------------------------------------------------------
MAX_MEMBER_BYTES = 10 * 1024 * 1024  # one XML / JSON / about file
MAX_TOTAL_BYTES = 200 * 1024 * 1024  # all XML / JSON / about files read together
MAX_ARCHIVE_BYTES = 2 * 1024 * 1024 * 1024  # declared size of every tar member, assets included
MAX_ARCHIVE_MEMBERS = 100_000
MAX_BLOCKS = 50_000
MAX_DEPTH = 32  # block nesting (course = 1)
MAX_FIELD_CHARS = 500  # longer leftover attributes are not kept in OlxBlock.fields

STRUCTURE_TYPES = frozenset({"course", "chapter", "sequential", "vertical"})
# leaves whose children are blocks too (parsed when present)
CONTAINER_LEAF_TYPES = frozenset({"library_content", "split_test", "conditional", "randomize", "itembank"})
# block types that always carry a score
SCORED_TYPES = frozenset({
    "problem",
    "openassessment",
    "drag-and-drop-v2",
    "edx_sga",
    "staffgradedxblock",
    "freetextresponse",
    "submit-and-compare",
})
_NOT_BLOCK_CHILDREN = {
    "course": frozenset({"wiki", "textbook"}),
    "conditional": frozenset({"show"}),
}
_ASIDE_FAMILY = "xblock_asides.v1"

# attributes turned into typed OlxBlock attributes (never repeated in OlxBlock.fields)
_BLOCK_TYPED = frozenset({
    "url_name", "xblock-family", "display_name", "graded", "format", "start", "due",
    "visible_to_staff_only", "hide_after_due", "hide_from_toc", "is_time_limited",
    "is_proctored_enabled", "is_practice_exam", "is_onboarding_exam",
    "default_time_limit_minutes", "has_score", "weight",
})
# course settings turned into typed OlxCourse attributes
_COURSE_TYPED = frozenset({
    "url_name", "org", "course", "display_name", "start", "end", "enrollment_start",
    "enrollment_end", "advertised_start", "self_paced", "course_image", "language",
    "certificate_available_date", "certificates_display_behavior", "mobile_available",
    "days_early_for_beta", "short_description", "effort", "xml_attributes",
})
# never copied into `fields` (credentials and the like)
_SECRET_NAME = re.compile(r"passport|secret|password|token|api_key|private_key", re.IGNORECASE)

_TAG_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_URL_NAME_RE = re.compile(r"^[\w\-~.:]+$", re.UNICODE)
_ABOUT_RE = re.compile(r"^about/([A-Za-z0-9_.\-]+)\.html$")


class OlxImportError(ValueError):
    """The OLX source is unreadable, malformed, unsafe or exceeds a limit."""


@dataclass
class OlxBlock:
    usage_key: UsageKey
    block_type: str
    parent_key: UsageKey | None
    position: int
    display_name: str
    graded: bool
    format: str
    start: datetime | None
    due: datetime | None
    visible_to_staff_only: bool
    hide_after_due: bool
    hide_from_toc: bool
    is_time_limited: bool
    is_proctored_enabled: bool
    is_practice_exam: bool
    is_onboarding_exam: bool
    default_time_limit_minutes: int | None
    has_score: bool
    weight: float | None
    fields: dict = field(default_factory=dict)

    @property
    def block_id(self) -> str:
        return self.usage_key.block_id


@dataclass
class OlxCourse:
    course_key: CourseKey
    org: str
    number: str
    run: str
    display_name: str
    start: datetime | None
    end: datetime | None
    enrollment_start: datetime | None
    enrollment_end: datetime | None
    advertised_start: str | None
    self_paced: bool
    course_image: str
    language: str
    grade_cutoffs: dict
    grader: list
    certificate_available_date: datetime | None
    certificates_display_behavior: str
    mobile_available: bool
    days_early_for_beta: float | None
    short_description: str
    effort: str
    fields: dict = field(default_factory=dict)
    blocks: list[OlxBlock] = field(default_factory=list)
    info: dict = field(default_factory=dict)  # name -> olx_info.OlxInfoPage (handouts, updates)


# ---------------------------------------------------------------------------
# Reading files from a tarball or a directory
# ---------------------------------------------------------------------------
def _limit(name: str) -> int:
    return globals()[name]


class _Budget:
    """Counts the bytes of XML/JSON/about files read against MAX_TOTAL_BYTES."""

    def __init__(self):
        self.used = 0

    def take(self, size: int, what: str):
        self.used += size
        if self.used > _limit("MAX_TOTAL_BYTES"):
            raise OlxImportError(
                f"{what}: the course export holds more than {_limit('MAX_TOTAL_BYTES')} bytes of XML/JSON"
            )


def _check_member_size(size: int, what: str):
    if size > _limit("MAX_MEMBER_BYTES"):
        raise OlxImportError(f"{what}: file too large ({size} bytes, limit {_limit('MAX_MEMBER_BYTES')})")


def _wanted(rel_parts: list[str]) -> bool:
    """Whether a file (path split in parts, possibly below a top folder) may be read by the parser."""
    if any(p in ("static", "drafts") for p in rel_parts[:-1]):
        return False
    name = rel_parts[-1]
    if name.endswith((".xml", ".json")):
        return True
    # about/*.html, and the course-info pages: info/*.html or info/{run}/*.html
    return name.endswith(".html") and len(rel_parts) >= 2 and (
        rel_parts[-2] in ("about", "info") or (len(rel_parts) >= 3 and rel_parts[-3] == "info"))


def _safe_parts(path: str, what: str) -> list[str]:
    """Split a relative posix path, refusing absolute paths and '..' components."""
    if "\x00" in path:
        raise OlxImportError(f"{what}: NUL byte in path {path!r}")
    if path.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", path):
        raise OlxImportError(f"{what}: absolute path {path!r} is not allowed")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    for part in parts:
        if part == ".." or ".." in part.split("\\"):
            raise OlxImportError(f"{what}: path traversal in {path!r}")
    return parts


class _Files:
    """Read-only view of a course folder (paths relative to the folder holding course.xml)."""

    label = "course export"

    def read(self, rel: str, referenced_from: str | None = None) -> bytes:
        data = self.read_optional(rel)
        if data is None:
            where = f" (referenced from {referenced_from})" if referenced_from else ""
            raise OlxImportError(f"{self.label}: missing file {rel!r}{where}")
        return data

    def read_optional(self, rel: str) -> bytes | None:  # pragma: no cover - abstract
        raise NotImplementedError

    def about_names(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError


class _TarFiles(_Files):
    """Every XML/JSON/about member of a tar archive, read in memory in one streaming pass."""

    def __init__(self, fileobj, label: str):
        self.label = label
        budget = _Budget()
        found: dict[str, bytes] = {}
        members = 0
        declared = 0
        try:
            with tarfile.open(fileobj=fileobj, mode="r|*") as archive:
                for member in archive:
                    members += 1
                    if members > _limit("MAX_ARCHIVE_MEMBERS"):
                        raise OlxImportError(f"{label}: more than {_limit('MAX_ARCHIVE_MEMBERS')} members")
                    declared += max(member.size, 0)
                    if declared > _limit("MAX_ARCHIVE_BYTES"):
                        raise OlxImportError(f"{label}: archive content exceeds {_limit('MAX_ARCHIVE_BYTES')} bytes")
                    parts = _safe_parts(member.name, f"{label}: member")
                    if member.isdir():
                        continue
                    if not member.isreg():
                        kind = "link" if (member.issym() or member.islnk()) else "special file"
                        raise OlxImportError(
                            f"{label}: member {member.name!r} is a {kind}; only regular files are allowed")
                    if not parts or not _wanted(parts):
                        continue
                    rel = "/".join(parts)
                    _check_member_size(member.size, f"{label}: {rel}")
                    handle = archive.extractfile(member)
                    data = handle.read(_limit("MAX_MEMBER_BYTES") + 1) if handle is not None else b""
                    _check_member_size(len(data), f"{label}: {rel}")
                    budget.take(len(data), f"{label}: {rel}")
                    if rel in found:
                        raise OlxImportError(f"{label}: duplicate member {rel!r}")
                    found[rel] = data
        except OlxImportError:
            raise
        except (tarfile.TarError, OSError, EOFError, zlib.error, *_LZMA_ERRORS) as exc:
            raise OlxImportError(f"{label}: not a readable tar archive ({exc})") from exc

        candidates = sorted(n for n in found if n == "course.xml" or (n.count("/") == 1 and n.endswith("/course.xml")))
        if not candidates:
            raise OlxImportError(f"{label}: no course.xml at the root or in a single top folder")
        if "course.xml" in candidates:
            prefix = ""
        elif len(candidates) == 1:
            prefix = candidates[0][: -len("course.xml")]
        else:
            raise OlxImportError(f"{label}: several course.xml files ({', '.join(candidates)})")
        self._files = {n[len(prefix):]: data for n, data in found.items() if n.startswith(prefix)}

    def read_optional(self, rel: str) -> bytes | None:
        parts = _safe_parts(rel, self.label)
        return self._files.get("/".join(parts))

    def about_names(self) -> list[str]:
        return sorted(m.group(1) for n in self._files if (m := _ABOUT_RE.match(n)))


class _DirFiles(_Files):
    """Files read on demand below a directory; symlinks and special files are refused."""

    def __init__(self, root: Path, label: str):
        self.label = label
        self.root = root
        self.budget = _Budget()

    def _lstat(self, path: Path):
        try:
            return os.lstat(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise OlxImportError(f"{self.label}: cannot read {path} ({exc})") from exc

    def read_optional(self, rel: str) -> bytes | None:
        parts = _safe_parts(rel, self.label)
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
        _check_member_size(info.st_size, f"{self.label}: {rel}")
        try:
            with open(path, "rb") as handle:
                data = handle.read(_limit("MAX_MEMBER_BYTES") + 1)
        except OSError as exc:
            raise OlxImportError(f"{self.label}: cannot read {rel!r} ({exc})") from exc
        _check_member_size(len(data), f"{self.label}: {rel}")
        self.budget.take(len(data), f"{self.label}: {rel}")
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


def _open_source(source) -> _Files:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return _TarFiles(io.BytesIO(bytes(source)), "archive")
    if hasattr(source, "read"):
        return _TarFiles(source, getattr(source, "name", None) or "archive")
    if not isinstance(source, (str, os.PathLike)):
        raise OlxImportError(f"unsupported OLX source {type(source).__name__}")
    path = Path(os.fspath(source))
    label = str(path)
    try:
        if path.is_dir():
            root = path.resolve()
            if (root / "course.xml").is_file():
                return _DirFiles(root, label)
            preferred = root / "course"
            if (preferred / "course.xml").is_file() and not preferred.is_symlink():
                return _DirFiles(preferred, label)
            candidates = sorted(
                child for child in root.iterdir()
                if child.is_dir() and not child.is_symlink() and (child / "course.xml").is_file()
            )
            if len(candidates) == 1:
                return _DirFiles(candidates[0], label)
            if not candidates:
                raise OlxImportError(f"{label}: no course.xml in the directory or in a sub-folder")
            raise OlxImportError(f"{label}: several sub-folders hold a course.xml")
        if path.is_file():
            with open(path, "rb") as handle:
                return _TarFiles(handle, label)
    except OSError as exc:
        raise OlxImportError(f"{label}: cannot read ({exc})") from exc
    raise OlxImportError(f"{label}: no such file or directory")


# ---------------------------------------------------------------------------
# Safe XML
# ---------------------------------------------------------------------------
def _parse_xml(data: bytes, where: str) -> Element:
    """Parse XML refusing DTDs and entity declarations (no external or expanding entities)."""
    head = data.upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise OlxImportError(f"{where}: DOCTYPE/ENTITY declarations are not allowed")

    def forbid(*_args):
        raise OlxImportError(f"{where}: DOCTYPE/ENTITY declarations are not allowed")

    builder = TreeBuilder()
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.UnparsedEntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
        return builder.close()
    except expat.ExpatError as exc:
        raise OlxImportError(f"{where}: malformed XML ({exc})") from exc
    except RecursionError as exc:  # pragma: no cover - defensive
        raise OlxImportError(f"{where}: XML nested too deeply") from exc


def _parse_json(data: bytes, where: str):
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise OlxImportError(f"{where}: malformed JSON ({exc})") from exc


# ---------------------------------------------------------------------------
# Setting values: XML attributes are raw strings, policy values are JSON
# ---------------------------------------------------------------------------
class _Raw(str):
    """An attribute value read from XML (as opposed to a JSON value from a policy file)."""


def _xml_json(text: str):
    """Platform-like deserialisation of an XML attribute: JSON when it parses, else the string."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return str(text)


def _to_str(value) -> str:
    if value is None:
        return ""
    if isinstance(value, _Raw):
        text = str(value)
        if len(text) >= 2 and text[0] == text[-1] == '"':
            decoded = _xml_json(text)
            if isinstance(decoded, str):
                return decoded
        return text
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, sort_keys=True)


def _to_opt_str(value) -> str | None:
    if value is None or (isinstance(value, _Raw) and value.strip() == "null"):
        return None
    return _to_str(value)


def _to_bool(value, default: bool = False) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip().strip('"').strip().lower()
        if text in ("", "null", "none"):
            return default
        return text in ("true", "1", "yes", "on")
    if isinstance(value, (int, float)):
        return bool(value)
    return default


def _to_date(value, where: str) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise OlxImportError(f"{where}: invalid date {value!r}")
    if isinstance(value, (int, float)):  # the platform reads numbers as epoch milliseconds
        try:
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise OlxImportError(f"{where}: invalid date {value!r}") from exc
    if not isinstance(value, str):
        raise OlxImportError(f"{where}: invalid date {value!r}")
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    if text in ("", "null", "None"):
        return None
    iso = text
    if iso.endswith(("Z", "z")):
        iso = iso[:-1] + "+00:00"
    if iso.endswith(" UTC"):
        iso = iso[:-4] + "+00:00"
    try:
        parsed = datetime.fromisoformat(iso)
    except ValueError as exc:
        raise OlxImportError(f"{where}: invalid date {text!r}") from exc
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _to_number(value, kind, where: str):
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().strip('"').strip()
        if text in ("", "null", "None"):
            return None
        try:
            number = float(text)
        except ValueError as exc:
            raise OlxImportError(f"{where}: invalid number {text!r}") from exc
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        raise OlxImportError(f"{where}: invalid number {value!r}")
    if not math.isfinite(number):
        raise OlxImportError(f"{where}: invalid number {value!r}")
    return int(number) if kind is int else number


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# ---------------------------------------------------------------------------
# Importer
# ---------------------------------------------------------------------------
_UNSET = object()


@dataclass
class _Inherited:
    graded: bool = False
    start: datetime | None = None
    due: datetime | None = None
    hide_from_toc: bool = False
    visible_to_staff_only: bool = False


def _is_pointer(element: Element, expected: frozenset) -> bool:
    if len(element) or (element.text and element.text.strip()):
        return False
    return set(element.attrib) == expected


class _Importer:
    def __init__(self, files: _Files):
        self.files = files
        self.blocks: list[OlxBlock] = []
        self.seen: dict[UsageKey, str] = {}
        self.policy: dict = {}
        self.course_key: CourseKey | None = None

    # -- course -----------------------------------------------------------
    def run(self) -> OlxCourse:
        from .olx_info import read_info_pages  # it reads values with this module's helpers

        root = _parse_xml(self.files.read("course.xml"), "course.xml")
        if root.tag != "course":
            raise OlxImportError(f"course.xml: root element is <{root.tag}>, expected <course>")
        org, number, run = (root.get(a) for a in ("org", "course", "url_name"))
        if not org or not number or not run:
            raise OlxImportError("course.xml: <course> needs url_name, org and course attributes")
        self._check_url_name(run, "course.xml")
        try:
            self.course_key = CourseLocator(org=org, course=number, run=run)
        except (InvalidKeyError, ValueError, TypeError) as exc:
            raise OlxImportError(f"course.xml: invalid course key parts {org!r}/{number!r}/{run!r}") from exc

        if _is_pointer(root, frozenset({"url_name", "org", "course"})):
            source = f"course/{run.replace(':', '/')}.xml"
            definition = _parse_xml(self.files.read(source, "course.xml"), source)
            if definition.tag != "course":
                raise OlxImportError(f"{source}: root element is <{definition.tag}>, expected <course>")
        else:
            source, definition = "course.xml", root

        self.policy = self._load_policy(run)
        grading = self._load_grading_policy(run)
        settings = self._settings("course", run, definition)
        where = f"course {run}"

        self._visit(definition, "course", run, settings, None, 0, 1, (("course", run),), source, _Inherited())

        about = self._load_about()
        extra = {}
        for name, value in settings.items():
            if name in _COURSE_TYPED or _SECRET_NAME.search(name):
                continue
            extra[name] = _xml_json(str(value)) if isinstance(value, _Raw) else value
        if about:
            extra["about"] = about

        cutoffs = grading.get("GRADE_CUTOFFS")
        grader = grading.get("GRADER")
        if "GRADE_CUTOFFS" in grading and not isinstance(cutoffs, dict):
            raise OlxImportError("grading_policy.json: GRADE_CUTOFFS must be an object")
        if "GRADER" in grading and not isinstance(grader, list):
            raise OlxImportError("grading_policy.json: GRADER must be a list")
        for key in ("GRADE_CUTOFFS", "GRADER"):
            grading.pop(key, None)
        if grading:
            extra["grading_policy"] = grading

        return OlxCourse(
            course_key=self.course_key,
            org=org,
            number=number,
            run=run,
            display_name=_to_str(settings.get("display_name")),
            start=_to_date(settings.get("start"), f"{where}: start"),
            end=_to_date(settings.get("end"), f"{where}: end"),
            enrollment_start=_to_date(settings.get("enrollment_start"), f"{where}: enrollment_start"),
            enrollment_end=_to_date(settings.get("enrollment_end"), f"{where}: enrollment_end"),
            advertised_start=_to_opt_str(settings.get("advertised_start")),
            self_paced=_to_bool(settings.get("self_paced")),
            course_image=_to_str(settings.get("course_image")),
            language=_to_str(settings.get("language")),
            grade_cutoffs=dict(cutoffs) if cutoffs else {"Pass": 0.5},
            grader=list(grader or []),
            certificate_available_date=_to_date(
                settings.get("certificate_available_date"), f"{where}: certificate_available_date"
            ),
            certificates_display_behavior=_to_str(settings.get("certificates_display_behavior")) or "end",
            mobile_available=_to_bool(settings.get("mobile_available")),
            days_early_for_beta=_to_number(settings.get("days_early_for_beta"), float, f"{where}: days_early_for_beta"),
            short_description=_to_str(settings.get("short_description")) or about.get("short_description", ""),
            effort=_to_str(settings.get("effort")) or about.get("effort", ""),
            fields=extra,
            blocks=self.blocks,
            info=read_info_pages(self.files, run),
        )

    def _load_policy(self, run: str) -> dict:
        base = run.replace(":", "/")
        for rel in (f"policies/{base}/policy.json", f"policies/{base}.json"):
            data = self.files.read_optional(rel)
            if data is not None:
                policy = _parse_json(data, rel)
                if not isinstance(policy, dict) or not all(isinstance(v, dict) for v in policy.values()):
                    raise OlxImportError(f"{rel}: expected an object of objects keyed by 'type/url_name'")
                return policy
        return {}

    def _load_grading_policy(self, run: str) -> dict:
        base = run.replace(":", "/")
        for rel in (f"policies/{base}/grading_policy.json", "grading_policy.json"):
            data = self.files.read_optional(rel)
            if data is not None:
                grading = _parse_json(data, rel)
                if not isinstance(grading, dict):
                    raise OlxImportError(f"{rel}: expected a JSON object")
                return grading
        return {}

    def _load_about(self) -> dict:
        about = {}
        for name in self.files.about_names():
            data = self.files.read_optional(f"about/{name}.html")
            if data is not None:
                about[name] = data.decode("utf-8", errors="replace").strip()
        return about

    # -- blocks -----------------------------------------------------------
    def _check_url_name(self, url_name: str, where: str):
        if not _URL_NAME_RE.match(url_name):
            raise OlxImportError(f"{where}: invalid url_name {url_name!r}")
        if any(part in ("", ".", "..") for part in url_name.split(":")):
            raise OlxImportError(f"{where}: invalid url_name {url_name!r}")

    def _settings(self, block_type: str, block_id: str, definition: Element) -> dict:
        settings = {name: _Raw(value) for name, value in definition.attrib.items()}
        override = self.policy.get(f"{block_type}/{block_id}")
        if override:
            settings.update(override)
        return settings

    def _visit(self, definition, block_type, block_id, settings, parent, position, depth, chain, source, inherited):
        if depth > _limit("MAX_DEPTH"):
            raise OlxImportError(f"{source}: blocks nested deeper than {_limit('MAX_DEPTH')} levels")
        if len(self.blocks) >= _limit("MAX_BLOCKS"):
            raise OlxImportError(f"{source}: more than {_limit('MAX_BLOCKS')} blocks")
        try:
            usage_key = self.course_key.make_usage_key(block_type, block_id)
        except (InvalidKeyError, ValueError, TypeError) as exc:
            raise OlxImportError(f"{source}: invalid block {block_type}/{block_id}") from exc
        if usage_key in self.seen:
            raise OlxImportError(
                f"{source}: block {block_type}/{block_id} appears twice (also in {self.seen[usage_key]})"
            )
        self.seen[usage_key] = source
        where = f"{source}: {block_type} {block_id}"

        def own(name):
            return settings.get(name, _UNSET)

        def inherit(name, convert, parent_value):
            value = own(name)
            return parent_value if value is _UNSET else convert(value)

        mine = _Inherited(
            graded=inherit("graded", _to_bool, inherited.graded),
            start=inherit("start", lambda v: _to_date(v, f"{where}: start"), inherited.start),
            due=inherit("due", lambda v: _to_date(v, f"{where}: due"), inherited.due),
            hide_from_toc=inherit("hide_from_toc", _to_bool, inherited.hide_from_toc),
            visible_to_staff_only=inherited.visible_to_staff_only or _to_bool(settings.get("visible_to_staff_only")),
        )
        has_score = own("has_score")
        block = OlxBlock(
            usage_key=usage_key,
            block_type=block_type,
            parent_key=parent,
            position=position,
            display_name=_to_str(settings.get("display_name")),
            graded=mine.graded,
            format=_to_str(settings.get("format")),
            start=mine.start,
            due=mine.due,
            visible_to_staff_only=mine.visible_to_staff_only,
            hide_after_due=_to_bool(settings.get("hide_after_due")),
            hide_from_toc=mine.hide_from_toc,
            is_time_limited=_to_bool(settings.get("is_time_limited")),
            is_proctored_enabled=_to_bool(settings.get("is_proctored_enabled")),
            is_practice_exam=_to_bool(settings.get("is_practice_exam")),
            is_onboarding_exam=_to_bool(settings.get("is_onboarding_exam")),
            default_time_limit_minutes=_to_number(
                settings.get("default_time_limit_minutes"), int, f"{where}: default_time_limit_minutes"
            ),
            has_score=block_type in SCORED_TYPES if has_score is _UNSET else _to_bool(has_score),
            weight=_to_number(settings.get("weight"), float, f"{where}: weight"),
            fields={} if block_type == "course" else self._leftover_fields(settings),
        )
        if block_type == "openassessment":
            block.fields["ora_steps"] = self._ora_steps(definition, settings, where)
        self.blocks.append(block)

        if block_type not in STRUCTURE_TYPES and block_type not in CONTAINER_LEAF_TYPES:
            return
        skipped = _NOT_BLOCK_CHILDREN.get(block_type, frozenset())
        index = 0
        for child in definition:
            if not isinstance(child.tag, str) or child.tag in skipped or child.get("xblock-family") == _ASIDE_FAMILY:
                continue
            self._child(child, usage_key, index, depth + 1, chain, source, mine)
            index += 1

    def _child(self, element, parent_key, position, depth, chain, source, inherited):
        tag = element.tag
        if not _TAG_RE.match(tag):
            raise OlxImportError(f"{source}: invalid block type <{tag}>")
        if _is_pointer(element, frozenset({"url_name"})):
            url_name = element.get("url_name")
            self._check_url_name(url_name, source)
            if (tag, url_name) in chain:
                raise OlxImportError(f"{source}: reference cycle through {tag}/{url_name}")
            child_source = f"{tag}/{url_name.replace(':', '/')}.xml"
            definition = _parse_xml(self.files.read(child_source, source), child_source)
            chain = chain + ((tag, url_name),)
        else:
            url_name = element.get("url_name")
            if url_name:
                self._check_url_name(url_name, source)
            else:
                url_name = self._generated_id(tag, parent_key, position, element)
            child_source, definition = source, element
        settings = self._settings(tag, url_name, definition)
        self._visit(definition, tag, url_name, settings, parent_key, position, depth, chain, child_source, inherited)

    @staticmethod
    def _generated_id(tag: str, parent_key: UsageKey, position: int, element: Element) -> str:
        digest = hashlib.sha1(
            json.dumps([str(parent_key), position, tag, sorted(element.attrib.items())]).encode("utf-8")
        ).hexdigest()[:12]
        return f"{tag}_{digest}"

    @staticmethod
    def _leftover_fields(settings: dict) -> dict:
        kept = {}
        for name, value in settings.items():
            if name in _BLOCK_TYPED or _SECRET_NAME.search(name):
                continue
            text = str(value) if isinstance(value, _Raw) else _to_str(value)
            if len(text) <= _limit("MAX_FIELD_CHARS"):
                kept[name] = text
        return kept

    @staticmethod
    def _ora_steps(definition: Element, settings: dict, where: str) -> list:
        """Dated steps of an open-response assessment: submission, then each assessment."""
        steps = [{
            "name": "submission",
            "start": _iso(_to_date(settings.get("submission_start"), f"{where}: submission_start")),
            "due": _iso(_to_date(settings.get("submission_due"), f"{where}: submission_due")),
        }]
        assessments = definition.find("assessments")
        if assessments is not None:
            for assessment in assessments.findall("assessment"):
                name = assessment.get("name", "")
                steps.append({
                    "name": name,
                    "start": _iso(_to_date(assessment.get("start"), f"{where}: {name} start")),
                    "due": _iso(_to_date(assessment.get("due"), f"{where}: {name} due")),
                })
        return steps


def read_olx(source) -> OlxCourse:
    """
    Read an Open edX course export.

    ``source``: a path (str/PathLike) to a .tar.gz/.tgz/.tar file or to a directory
    (the folder holding ``course.xml`` or its parent), or a binary file object of a
    tar archive (optionally compressed; read as a stream, not closed), or the bytes
    of such an archive.

    Returns an :class:`OlxCourse` whose ``blocks`` are in pre-order (root first).
    Raises :class:`OlxImportError` for anything unreadable, malformed, unsafe or
    beyond the module limits.
    """
    files = _open_source(source)
    try:
        return _Importer(files).run()
    except RecursionError as exc:  # pragma: no cover - defensive
        raise OlxImportError("course export nested too deeply") from exc

"""The walk of an export's course tree into an :class:`~.course.OlxCourse`: ``read_olx``.

Rules, as the platform's XML import applies them:

* a child element is a *pointer* when it has no children, no text and exactly one
  attribute, ``url_name`` (for ``course.xml``: ``url_name``, ``org`` and ``course``);
  the definition is then read from ``{tag}/{url_name}.xml`` (``:`` in a url_name
  maps to a sub-folder). Any other child element is an inline definition, and one
  without a ``url_name`` gets a stable id from its parent, place, tag and attributes;
* a policy entry ``"{block_type}/{url_name}"`` overrides or adds block attributes;
* ``graded``, ``start``, ``due`` and ``hide_from_toc`` are inherited down the tree
  when not set on the block; ``visible_to_staff_only`` is true when the block or
  any ancestor sets it; ``format`` and the sequence and exam flags are not inherited;
* ``wiki`` and ``textbook`` children of the course, ``show`` children of a
  conditional and XBlock asides are not blocks;
* attributes the block model has no column for are kept in ``fields`` as text, unless
  their name looks like a credential or their value is longer than the limit allows.

A block met twice, a pointer cycle, a bad ``url_name`` or block type, and any bound of the
:class:`~.limits.OlxLimits` passed in refuse the export; nothing is partially returned.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import datetime
from xml.etree.ElementTree import Element

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey
from opaque_keys.edx.locator import CourseLocator

from .course import OlxBlock, OlxCourse, OlxImportError
from .info_pages import read_info_pages
from .limits import DEFAULT_LIMITS, OlxLimits
from .safe_xml import parse_json, parse_xml
from .sources import ExportFiles, open_source
from .values import Raw, iso, to_bool, to_date, to_number, to_opt_str, to_str, xml_json

__all__ = ["read_olx"]

STRUCTURE_TYPES = frozenset({"course", "chapter", "sequential", "vertical"})
# leaves whose children are blocks too (read when present)
CONTAINER_LEAF_TYPES = frozenset({"library_content", "split_test", "conditional", "randomize", "itembank"})
# block types that always carry a score
SCORED_TYPES = frozenset({
    "problem", "openassessment", "drag-and-drop-v2", "edx_sga", "staffgradedxblock", "freetextresponse",
    "submit-and-compare",
})
_NOT_BLOCK_CHILDREN = {"course": frozenset({"wiki", "textbook"}), "conditional": frozenset({"show"})}
_ASIDE_FAMILY = "xblock_asides.v1"

# attributes read into typed OlxBlock attributes (never repeated in OlxBlock.fields)
_BLOCK_TYPED = frozenset({
    "url_name", "xblock-family", "display_name", "graded", "format", "start", "due",
    "visible_to_staff_only", "hide_after_due", "hide_from_toc", "is_time_limited",
    "is_proctored_enabled", "is_practice_exam", "is_onboarding_exam",
    "default_time_limit_minutes", "has_score", "weight",
})
# course settings read into typed OlxCourse attributes
_COURSE_TYPED = frozenset({
    "url_name", "org", "course", "display_name", "start", "end", "enrollment_start",
    "enrollment_end", "advertised_start", "self_paced", "course_image", "language",
    "certificate_available_date", "certificates_display_behavior", "mobile_available",
    "days_early_for_beta", "short_description", "effort", "xml_attributes",
})
# never copied into `fields`: credentials have no business in a course outline
_SECRET_NAME = re.compile(r"passport|secret|password|token|api_key|private_key", re.IGNORECASE)

_TAG_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_URL_NAME_RE = re.compile(r"^[\w\-~.:]+$", re.UNICODE)
_UNSET = object()


def read_olx(source, limits: OlxLimits = DEFAULT_LIMITS, *, on_block=None) -> OlxCourse:
    """
    Read an Open edX course export.

    ``source``: a path (str/PathLike) to a .tar.gz/.tgz/.tar file or to a directory
    (the folder holding ``course.xml`` or its parent), or a binary file object of a
    tar archive (optionally compressed; read as a stream, not closed), or the bytes
    of such an archive. ``limits`` bounds what the reading may take in.

    ``on_block(count)``, when given, is called after each block is read with the number read so far.

    Returns an :class:`OlxCourse` whose ``blocks`` are in pre-order (root first).
    Raises :class:`OlxImportError` for anything unreadable, malformed, unsafe or
    beyond ``limits``.
    """
    files = open_source(source, limits)
    try:
        return _Reader(files, limits, on_block).run()
    except RecursionError as exc:  # pragma: no cover - defensive
        raise OlxImportError("course export nested too deeply") from exc


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


def _check_url_name(url_name: str, where: str):
    if not _URL_NAME_RE.match(url_name) or any(part in ("", ".", "..") for part in url_name.split(":")):
        raise OlxImportError(f"{where}: invalid url_name {url_name!r}")


class _Reader:
    def __init__(self, files: ExportFiles, limits: OlxLimits, on_block=None):
        self.files = files
        self.limits = limits
        self.on_block = on_block
        self.blocks: list[OlxBlock] = []
        self.seen: dict[UsageKey, str] = {}
        self.policy: dict = {}
        self.course_key: CourseKey | None = None

    # -- course -----------------------------------------------------------
    def run(self) -> OlxCourse:
        root = parse_xml(self.files.read("course.xml"), "course.xml")
        if root.tag != "course":
            raise OlxImportError(f"course.xml: root element is <{root.tag}>, expected <course>")
        org, number, run = (root.get(a) for a in ("org", "course", "url_name"))
        if not org or not number or not run:
            raise OlxImportError("course.xml: <course> needs url_name, org and course attributes")
        _check_url_name(run, "course.xml")
        try:
            self.course_key = CourseLocator(org=org, course=number, run=run)
        except (InvalidKeyError, ValueError, TypeError) as exc:
            raise OlxImportError(f"course.xml: invalid course key parts {org!r}/{number!r}/{run!r}") from exc

        if _is_pointer(root, frozenset({"url_name", "org", "course"})):
            source = f"course/{run.replace(':', '/')}.xml"
            definition = parse_xml(self.files.read(source, "course.xml"), source)
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
            extra[name] = xml_json(str(value)) if isinstance(value, Raw) else value
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

        def date(name):
            return to_date(settings.get(name), f"{where}: {name}")

        return OlxCourse(
            course_key=self.course_key,
            org=org,
            number=number,
            run=run,
            display_name=to_str(settings.get("display_name")),
            start=date("start"),
            end=date("end"),
            enrollment_start=date("enrollment_start"),
            enrollment_end=date("enrollment_end"),
            advertised_start=to_opt_str(settings.get("advertised_start")),
            self_paced=to_bool(settings.get("self_paced")),
            course_image=to_str(settings.get("course_image")),
            language=to_str(settings.get("language")),
            grade_cutoffs=dict(cutoffs) if cutoffs else {"Pass": 0.5},
            grader=list(grader or []),
            certificate_available_date=date("certificate_available_date"),
            certificates_display_behavior=to_str(settings.get("certificates_display_behavior")) or "end",
            mobile_available=to_bool(settings.get("mobile_available")),
            days_early_for_beta=to_number(settings.get("days_early_for_beta"), float, f"{where}: days_early_for_beta"),
            short_description=to_str(settings.get("short_description")) or about.get("short_description", ""),
            effort=to_str(settings.get("effort")) or about.get("effort", ""),
            fields=extra,
            blocks=self.blocks,
            info=read_info_pages(self.files, run),
        )

    def _load_policy(self, run: str) -> dict:
        base = run.replace(":", "/")
        for rel in (f"policies/{base}/policy.json", f"policies/{base}.json"):
            data = self.files.read_optional(rel)
            if data is not None:
                policy = parse_json(data, rel)
                if not isinstance(policy, dict) or not all(isinstance(v, dict) for v in policy.values()):
                    raise OlxImportError(f"{rel}: expected an object of objects keyed by 'type/url_name'")
                return policy
        return {}

    def _load_grading_policy(self, run: str) -> dict:
        base = run.replace(":", "/")
        for rel in (f"policies/{base}/grading_policy.json", "grading_policy.json"):
            data = self.files.read_optional(rel)
            if data is not None:
                grading = parse_json(data, rel)
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
    def _settings(self, block_type: str, block_id: str, definition: Element) -> dict:
        settings = {name: Raw(value) for name, value in definition.attrib.items()}
        override = self.policy.get(f"{block_type}/{block_id}")
        if override:
            settings.update(override)
        return settings

    def _visit(self, definition, block_type, block_id, settings, parent, position, depth, chain, source, inherited):
        if depth > self.limits.max_depth:
            raise OlxImportError(f"{source}: blocks nested deeper than {self.limits.max_depth} levels")
        if len(self.blocks) >= self.limits.max_blocks:
            raise OlxImportError(f"{source}: more than {self.limits.max_blocks} blocks")
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

        def inherit(name, convert, parent_value):
            value = settings.get(name, _UNSET)
            return parent_value if value is _UNSET else convert(value)

        mine = _Inherited(
            graded=inherit("graded", to_bool, inherited.graded),
            start=inherit("start", lambda v: to_date(v, f"{where}: start"), inherited.start),
            due=inherit("due", lambda v: to_date(v, f"{where}: due"), inherited.due),
            hide_from_toc=inherit("hide_from_toc", to_bool, inherited.hide_from_toc),
            visible_to_staff_only=inherited.visible_to_staff_only or to_bool(settings.get("visible_to_staff_only")),
        )
        has_score = settings.get("has_score", _UNSET)
        block = OlxBlock(
            usage_key=usage_key,
            block_type=block_type,
            parent_key=parent,
            position=position,
            display_name=to_str(settings.get("display_name")),
            graded=mine.graded,
            format=to_str(settings.get("format")),
            start=mine.start,
            due=mine.due,
            visible_to_staff_only=mine.visible_to_staff_only,
            hide_after_due=to_bool(settings.get("hide_after_due")),
            hide_from_toc=mine.hide_from_toc,
            is_time_limited=to_bool(settings.get("is_time_limited")),
            is_proctored_enabled=to_bool(settings.get("is_proctored_enabled")),
            is_practice_exam=to_bool(settings.get("is_practice_exam")),
            is_onboarding_exam=to_bool(settings.get("is_onboarding_exam")),
            default_time_limit_minutes=to_number(
                settings.get("default_time_limit_minutes"), int, f"{where}: default_time_limit_minutes"
            ),
            has_score=block_type in SCORED_TYPES if has_score is _UNSET else to_bool(has_score),
            weight=to_number(settings.get("weight"), float, f"{where}: weight"),
            fields={} if block_type == "course" else self._leftover_fields(settings),
        )
        if block_type == "openassessment":
            block.fields["ora_steps"] = _ora_steps(definition, settings, where)
        self.blocks.append(block)
        if self.on_block is not None:
            self.on_block(len(self.blocks))

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
            _check_url_name(url_name, source)
            if (tag, url_name) in chain:
                raise OlxImportError(f"{source}: reference cycle through {tag}/{url_name}")
            child_source = f"{tag}/{url_name.replace(':', '/')}.xml"
            definition = parse_xml(self.files.read(child_source, source), child_source)
            chain = chain + ((tag, url_name),)
        else:
            url_name = element.get("url_name")
            if url_name:
                _check_url_name(url_name, source)
            else:
                url_name = _generated_id(tag, parent_key, position, element)
            child_source, definition = source, element
        settings = self._settings(tag, url_name, definition)
        self._visit(definition, tag, url_name, settings, parent_key, position, depth, chain, child_source, inherited)

    def _leftover_fields(self, settings: dict) -> dict:
        kept = {}
        for name, value in settings.items():
            if name in _BLOCK_TYPED or _SECRET_NAME.search(name):
                continue
            text = str(value) if isinstance(value, Raw) else to_str(value)
            if len(text) <= self.limits.max_field_chars:
                kept[name] = text
        return kept


def _generated_id(tag: str, parent_key: UsageKey, position: int, element: Element) -> str:
    digest = hashlib.sha1(
        json.dumps([str(parent_key), position, tag, sorted(element.attrib.items())]).encode("utf-8")
    ).hexdigest()[:12]
    return f"{tag}_{digest}"


def _ora_steps(definition: Element, settings: dict, where: str) -> list:
    """Dated steps of an open-response assessment: submission, then each assessment."""
    steps = [{
        "name": "submission",
        "start": iso(to_date(settings.get("submission_start"), f"{where}: submission_start")),
        "due": iso(to_date(settings.get("submission_due"), f"{where}: submission_due")),
    }]
    assessments = definition.find("assessments")
    if assessments is not None:
        for assessment in assessments.findall("assessment"):
            name = assessment.get("name", "")
            steps.append({
                "name": name,
                "start": iso(to_date(assessment.get("start"), f"{where}: {name} start")),
                "due": iso(to_date(assessment.get("due"), f"{where}: {name} due")),
            })
    return steps

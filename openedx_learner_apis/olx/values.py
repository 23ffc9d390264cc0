"""Setting values of an export as typed Python values: strings, booleans, dates, numbers.

A setting comes from one of two places: an XML attribute, always a string (kept as :class:`Raw`
so the difference shows), or a policy file, a JSON value of any type. Both spell the same
things loosely: ``"true"``, ``true`` and ``"\\"true\\""`` are all true; ``null``, ``None`` and an
empty string all mean "not set"; a date is ISO 8601 (``Z`` or `` UTC`` for UTC, no zone read as
UTC) or a number of milliseconds since 1970. A value that cannot be read as the type its
setting needs refuses the export with an :class:`~.course.OlxImportError` naming where it is.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime

from .course import OlxImportError

_UNSET_TEXTS = ("", "null", "None")


class Raw(str):
    """An attribute value read from XML (as opposed to a JSON value from a policy file)."""


def xml_json(text: str):
    """An XML attribute read as the platform reads a field: its JSON value when it parses, else the string."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return str(text)


def to_str(value) -> str:
    """Text of a setting; a JSON-quoted XML attribute is unquoted, other JSON values are written as JSON."""
    if value is None:
        return ""
    if isinstance(value, Raw):
        text = str(value)
        if len(text) >= 2 and text[0] == text[-1] == '"':
            decoded = xml_json(text)
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


def to_opt_str(value) -> str | None:
    """Like :func:`to_str`, but an unset value or the attribute ``null`` is ``None``."""
    if value is None or (isinstance(value, Raw) and value.strip() == "null"):
        return None
    return to_str(value)


def to_bool(value, default: bool = False) -> bool:
    """A flag: ``true``, ``1``, ``yes`` and ``on`` (any case, quoted or not) are true; unset is ``default``."""
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


def to_date(value, where: str) -> datetime | None:
    """An aware UTC datetime, or ``None`` when unset; a number counts milliseconds since 1970 as the platform does."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise OlxImportError(f"{where}: invalid date {value!r}")
    if isinstance(value, (int, float)):
        try:
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise OlxImportError(f"{where}: invalid date {value!r}") from exc
    if not isinstance(value, str):
        raise OlxImportError(f"{where}: invalid date {value!r}")
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    if text in _UNSET_TEXTS:
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


def to_number(value, kind, where: str):
    """A finite ``int`` or ``float`` (``kind``), or ``None`` when unset; a boolean is not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip().strip('"').strip()
        if text in _UNSET_TEXTS:
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


def iso(value: datetime | None) -> str | None:
    """A date as ISO 8601 text for a JSON field, ``None`` kept."""
    return value.isoformat() if value is not None else None

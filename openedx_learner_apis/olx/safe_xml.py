"""Parsing an export's XML and JSON files safely: no DTD, no entity, every failure an ``OlxImportError``.

A DTD lets a document declare entities that expand exponentially ("billion laughs") or pull in
files and URLs (external entities), so any ``<!DOCTYPE`` or ``<!ENTITY`` refuses the file; no
Studio export has one. The expat parser is driven directly, with every declaration handler
refusing, so the check holds even for a declaration the byte scan could miss.
"""

from __future__ import annotations

import json
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from .course import OlxImportError


def parse_xml(data: bytes, where: str) -> Element:
    """The element tree of ``data``; DTDs and entity declarations are refused."""
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


def parse_json(data: bytes, where: str):
    """The JSON value of ``data`` (UTF-8, a byte-order mark allowed)."""
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise OlxImportError(f"{where}: malformed JSON ({exc})") from exc

"""The fuzz stage's case hook tells schemathesis' valid parts of a case from its invalid ones.

A path parameter generated invalid must reach the server as generated: swapping it for the
demo's real key would send a valid request that schemathesis still counts as invalid, and
flag the server for accepting it.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.core.parameters import ParameterLocation  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.generation.meta import ComponentInfo  # noqa: E402

from .test_fuzz_schema import _generated_valid  # noqa: E402


def case_with(**modes) -> SimpleNamespace:
    components = {ParameterLocation(location): ComponentInfo(mode=mode) for location, mode in modes.items()}
    return SimpleNamespace(meta=SimpleNamespace(components=components))


def test_a_negative_path_is_not_valid():
    case = case_with(path=GenerationMode.NEGATIVE, body=GenerationMode.POSITIVE)
    assert not _generated_valid(case, "path")
    assert _generated_valid(case, "body")


def test_a_positive_path_is_valid():
    assert _generated_valid(case_with(path=GenerationMode.POSITIVE), "path")


def test_an_unknown_part_is_not_taken_as_valid():
    assert not _generated_valid(case_with(query=GenerationMode.POSITIVE), "path")
    assert not _generated_valid(SimpleNamespace(meta=None), "path")

"""Checks a test-client response against the API schema, as the fuzzer does on the live host.

The fuzz regressions in the family test folders use it without needing schemathesis: the
status code must be documented for the operation, and the JSON body must validate against
the documented schema (OpenAPI 3.0 ``nullable`` included).
"""

from __future__ import annotations

import functools

import jsonschema
from drf_spectacular.generators import SchemaGenerator


@functools.cache
def api_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _with_nulls(node):
    """OpenAPI 3.0 ``nullable: true`` as JSON Schema: ``null`` joins the allowed values."""
    if isinstance(node, list):
        return [_with_nulls(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _with_nulls(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def documented_response(method: str, path_template: str, status_code: int) -> dict:
    """The schema's response object for ``status_code``, failing the test when it is undocumented."""
    operation = api_schema()["paths"][path_template][method.lower()]
    documented = operation["responses"]
    assert str(status_code) in documented, (
        f"{method.upper()} {path_template} answered {status_code}, documented: {sorted(documented)}")
    return documented[str(status_code)]


def assert_documented(response, method: str, path_template: str) -> None:
    """``response`` has a documented status and, when it has a JSON body, a body matching its schema."""
    documented = documented_response(method, path_template, response.status_code)
    content = documented.get("content")
    if not content:
        assert not response.content, f"undocumented body: {response.content[:200]!r}"
        return
    assert response["Content-Type"].split(";")[0] in content, response["Content-Type"]
    schema = content["application/json"]["schema"]
    root = _with_nulls({"allOf": [schema], "components": api_schema()["components"]})
    jsonschema.validate(response.json(), root)

"""The OpenAPI 3 schema of everything mounted, and the demo host's schema and Swagger UI pages."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from openedx_learner_apis.conf import learner_apis_settings
from openedx_learner_apis.urls import FAMILY_URLCONFS, module_exists

BUILT_FAMILIES = [family for family, (module, _) in FAMILY_URLCONFS.items() if module_exists(module)]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_at_least_one_family_is_built():
    assert BUILT_FAMILIES


def test_schema_is_valid_openapi_3(schema):
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")


@pytest.mark.parametrize("family", BUILT_FAMILIES)
def test_each_mounted_family_is_described(schema, family):
    prefix = "/" + learner_apis_settings.URL_PREFIXES[family]
    assert [path for path in schema["paths"] if path.startswith(prefix)], f"no {family} path under {prefix}"


def test_every_operation_declares_its_security(schema):
    schemes = set(schema["components"]["securitySchemes"])
    assert {"jwtAuth", "cookieAuth"} <= schemes
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            assert operation.get("security"), (path, method)
            named = {name for requirement in operation["security"] for name in requirement}
            assert named and named <= schemes, (path, method)


def test_schema_has_no_generator_warnings(tmp_path):
    # The same command the docs ask each family to keep clean; it raises on any warning.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3.")


@pytest.mark.django_db
def test_demo_host_serves_the_schema(client, schema):
    response = client.get("/api-docs/schema/", {"format": "json"})
    assert response.status_code == 200
    served = response.json()
    assert served["openapi"].startswith("3.")
    assert set(served["paths"]) == set(schema["paths"])


@pytest.mark.django_db
def test_demo_host_serves_swagger_ui_from_local_static_files(client):
    response = client.get("/api-docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "SwaggerUIBundle" in html
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references, "the page loads its assets"
    for reference in references:
        assert reference.startswith("/static/drf_spectacular_sidecar/"), reference
        assert finders.find(reference.removeprefix("/static/")), f"{reference} is not a shipped static file"
    assert not re.search(r"https?://|//cdn|unpkg|jsdelivr", html), "the page must not load anything from a CDN"
    assert '"/api\\u002Ddocs/schema/"' in html

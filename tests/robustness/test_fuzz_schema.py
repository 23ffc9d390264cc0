"""Schemathesis fuzzes every operation of the demo host's own OpenAPI schema (docs/robustness.rst).

Each operation is called with a learner's JWT, a staff JWT and no credentials. Generated
inputs come in both modes (valid per the schema, and deliberately invalid); half of the
valid path parameters are swapped for the demo's real learner, course and sequence so that
the handlers' inner code runs too, not only their 404s. Every response must be a non-5xx,
documented status with a documented Content-Type and a body that validates against the
schema. ``FUZZ_MAX_EXAMPLES`` (default 60) bounds the generated cases per operation and
identity; ``FUZZ_SEED`` picks the seed (default fixed, so CI is repeatable).
"""

from __future__ import annotations

import json
import os
import zlib
from collections import Counter, defaultdict

import pytest

from .conftest import report, require

try:
    import schemathesis
    from schemathesis.generation import GenerationMode
except ImportError:  # the CI robustness stage installs it: requirements/robustness.txt
    schemathesis = None

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "60"))
SEED = int(os.environ.get("FUZZ_SEED", "20261101"))
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
]

# (identity, "METHOD /path") -> Counter of status codes
CALLS: dict[tuple[str, str], Counter] = defaultdict(Counter)


# What the image checks answer for bytes that are not a usable image (any other 400 still fails).
IMAGE_REFUSALS = (
    "The file must be",
    "The Content-Type header for this file does not match",
    "The file name extension for this file does not match",
    "The file could not be read as an image",
    "The image is too large",
    "The upload has no file name.",
)


def _refused_as_an_image(case, response) -> bool:
    """A generated upload body refused because it is not a usable image, in the family's error shape."""
    if not case.operation.path.endswith(("/image", "/upload")) or response.status_code != 400:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    user_message = body.get("user_message", "") if isinstance(body, dict) else ""
    return bool(body.get("developer_message")) and user_message.startswith(IMAGE_REFUSALS)


def _refused_field_by_field(case, response) -> bool:
    """An account or preference update refused in ``field_errors``, for a rule a schema cannot state.

    "Each platform once" in ``social_links``, "each language once", and what makes a social
    link a handle of that platform are checked by the update rules, not the schema.
    """
    if case.method.upper() != "PATCH" or response.status_code != 400:
        return False
    if not case.operation.path.endswith(("/accounts/{username}", "/preferences/{username}")):
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and isinstance(body.get("field_errors"), dict) and bool(body["field_errors"])


def _generated_valid(case, location: str) -> bool:
    """Whether schemathesis generated this part of the case (``path``, ``body``...) valid for the schema."""
    components = case.meta.components if case.meta is not None else {}
    # Locations are a str enum: they equal their value, but their str() is the member's name.
    info = next((info for where, info in components.items() if where == location), None)
    return info is not None and info.mode == GenerationMode.POSITIVE


def _known_path_values(host) -> dict[str, str]:
    return {"username": "learner", "course_key_string": host.course_key, "usage_key_string": host.sequence_key}


@pytest.fixture(scope="module")
def api_schema(live_host):
    if schemathesis is None:
        require("schemathesis is not installed (pip install -r requirements/robustness.txt)")
    config = schemathesis.Config.from_dict({
        "seed": SEED,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
    })
    schema = schemathesis.openapi.from_url(live_host.url("/api-docs/schema/?format=json"), config=config)
    known = _known_path_values(live_host)

    @schemathesis.hook
    def map_case(context, case):
        """Half of the valid path parameter sets name the demo's real learner, course and sequence.

        A valid course status update of the demo course then names its sequence: a schema
        cannot list the blocks of a course, and any other well-formed module id is the
        documented 400 ``invalid-module-id``.
        """
        if not case.path_parameters or not _generated_valid(case, "path"):
            return case
        # Deterministic in the generated values, so Hypothesis can replay and shrink.
        if zlib.crc32(json.dumps(case.path_parameters, sort_keys=True, default=str).encode()) % 2:
            return case
        for name, value in known.items():
            if name in case.path_parameters:
                case.path_parameters[name] = value
        body = case.body
        if (isinstance(body, dict) and body.get("last_visited_module_id") and _generated_valid(case, "body")
                and case.path_parameters.get("course_key_string") == live_host.course_key):
            body["last_visited_module_id"] = live_host.sequence_key
        return case

    @schemathesis.hook
    def filter_failure(context, failure, case, response):
        """Keep every failure but two refusals of valid-looking data for rules a schema cannot state.

        A schema cannot say "the bytes of a JPEG, PNG or GIF image": generated binary bodies
        are refused by the image checks. Account and preference updates are refused field by
        field for the rules of ``_refused_field_by_field``.
        """
        if failure.code == "ST202" and (_refused_as_an_image(case, response)
                                        or _refused_field_by_field(case, response)):
            return False
        return True

    return schema


@pytest.fixture(scope="module", autouse=True)
def _report(artifacts_dir):
    """After the run: requests per operation (all identities) into the log and ``fuzz-summary.json``."""
    yield
    if not CALLS:
        return
    per_operation: dict[str, int] = defaultdict(int)
    for (_, label), statuses in CALLS.items():
        per_operation[label] += sum(statuses.values())
    total = sum(per_operation.values())
    path = artifacts_dir / "fuzz-summary.json"
    path.write_text(json.dumps({
        "max_examples": MAX_EXAMPLES, "seed": SEED, "total_requests": total,
        "requests_per_operation": dict(sorted(per_operation.items())),
        "statuses": {f"{identity} {label}": dict(sorted(statuses.items()))
                     for (identity, label), statuses in sorted(CALLS.items())},
    }, indent=2))
    report(f"fuzzing: {total} requests over {len(per_operation)} operations and 3 identities (at most "
           f"{MAX_EXAMPLES} generated cases per operation and identity, plus the coverage phase's; seed {SEED}); "
           f"summary in {path}")
    for label, count in sorted(per_operation.items()):
        report(f"  {count:5d}  {label}")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """Schemathesis's lazy schema renames the test item through ``_nodeid``, which pytest 9 no longer has."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


schema = schemathesis.pytest.from_fixture("api_schema") if schemathesis is not None else None


def _authorization(live_host, identity: str) -> dict:
    if identity == "learner":
        return {"Authorization": live_host.learner_authorization}
    if identity == "staff":
        return {"Authorization": live_host.staff_authorization}
    return {}


def _call_and_validate(case, identity: str, live_host) -> None:
    headers = _authorization(live_host, identity)
    if identity == "anonymous":  # no credentials at all, not even generated ones
        case.headers = {name: value for name, value in (case.headers or {}).items() if name.lower() != "authorization"}
        case.cookies = {}
    response = case.call(base_url=live_host.base_url, headers=headers, timeout=30)
    CALLS[(identity, f"{case.operation.method.upper()} {case.operation.path}")][response.status_code] += 1
    case.validate_response(response, headers=headers)


if schema is not None:

    @schema.parametrize()
    def test_fuzz_as_learner(case, live_host):
        _call_and_validate(case, "learner", live_host)

    @schema.parametrize()
    def test_fuzz_as_staff(case, live_host):
        _call_and_validate(case, "staff", live_host)

    @schema.parametrize()
    def test_fuzz_without_credentials(case, live_host):
        _call_and_validate(case, "anonymous", live_host)

else:

    def test_fuzz():
        require("schemathesis is not installed (pip install -r requirements/robustness.txt)")

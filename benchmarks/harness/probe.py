"""Inside Django: write the request plan, count SQL queries per request, and measure growth.

Usage: python -m benchmarks.harness.probe OUT_DIR [--growth-seconds S]

Every request goes through Django's test client (the whole middleware stack, no network):
once to warm the caches, once under ``CaptureQueriesContext`` (the steady-state query
count), then repeatedly for the growth latencies. Writes ``OUT_DIR/plan.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

MIN_SAMPLES, MAX_SAMPLES = 5, 60


def client_call(client, method: str, path: str, headers: dict, body: bytes, content_type: str):
    extra = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    call = getattr(client, method.lower())
    if method == "GET":
        return call(path, **extra)
    return call(path, data=body, content_type=content_type, **extra)


def client_etag(client):
    """``fetch(path, headers)`` for :func:`benchmarks.harness.endpoints.with_etag`, through the test client."""

    def fetch(path: str, headers: dict) -> str | None:
        return client_call(client, "GET", path, headers, b"", "").headers.get("ETag")

    return fetch


def count_queries(client, method, path, headers, body, content_type) -> tuple[int, int]:
    """``(status, queries)`` of the second of two identical requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client_call(client, method, path, headers, body, content_type)
    with CaptureQueriesContext(connection) as captured:
        response = client_call(client, method, path, headers, body, content_type)
    return response.status_code, len(captured.captured_queries)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_request(client, method, path, headers, body, content_type, budget: float) -> list[float]:
    """Latencies in ms of repeated requests, within ``budget`` seconds (at least ``MIN_SAMPLES``)."""
    samples: list[float] = []
    deadline = time.perf_counter() + budget
    while len(samples) < MAX_SAMPLES and (len(samples) < MIN_SAMPLES or time.perf_counter() < deadline):
        started = time.perf_counter()
        client_call(client, method, path, headers, body, content_type)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--growth-seconds", type=float, default=2.0, help="Time budget of each growth point.")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.harness.settings")
    import django

    django.setup()
    from django.test import Client

    from benchmarks.harness.endpoints import growth_plan, load_plan, with_etag

    args.out.mkdir(parents=True, exist_ok=True)
    client = Client()
    failures = []
    endpoints = []
    for planned in load_plan(args.out):
        entry = planned.as_json()
        body = Path(planned.body_file).read_bytes() if planned.body_file else b""
        # A revalidation row names the ETag this client fetches; the load fetches its own (run_all).
        variant = with_etag(entry, client_etag(client))["variants"][0]
        status, queries = count_queries(client, planned.method, variant["path"], variant["headers"], body,
                                        planned.content_type)
        entry.update(status=status, queries=queries)
        if status != planned.expected:
            failures.append(f"{planned.name}: {planned.method} {variant['path']} answered {status}, "
                            f"expected {planned.expected}")
        endpoints.append(entry)
        print(f"  {planned.name}: {status}, {queries} queries", flush=True)

    growth = []
    for row in growth_plan():
        body = row["body"].encode()
        content_type = "application/json"
        status, queries = count_queries(client, row["method"], row["path"], row["headers"], body, content_type)
        if status != 200:
            failures.append(f"growth {row['name']} ({row['axis']}={row['size']}): answered {status}")
        samples = time_request(client, row["method"], row["path"], row["headers"], body, content_type,
                               args.growth_seconds)
        growth.append({key: row[key] for key in ("axis", "size", "name", "method", "path")} | {
            "status": status, "queries": queries, "samples": len(samples),
            "p50_ms": statistics.median(samples), "p99_ms": percentile(samples, 0.99)})
        print(f"  growth {row['name']} {row['axis']}={row['size']}: {queries} queries, "
              f"p50 {growth[-1]['p50_ms']:.1f} ms", flush=True)

    (args.out / "plan.json").write_text(json.dumps({"endpoints": endpoints, "growth": growth,
                                                    "failures": failures}, indent=1))
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

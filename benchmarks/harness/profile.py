"""Inside Django: profile the load plan's requests, and time them against the floor, in one process.

Usage: python -m benchmarks.harness.profile [--only NAME ...] [--requests N] [--profile] [--html DIR]

Runs against the bench database (``DATABASE_URL``, bench settings, the generated data).
Each selected request of the load plan (``benchmarks.harness.endpoints``) goes through
Django's test client (every middleware, no network): warmed up, then timed ``N`` times,
interleaved with the floor so that both see the same machine. It prints each request's
wall time (mean, median) and its speed as a percentage of the floor's, the in-process
counterpart of the load table's column, and the same for the CPU time of this process
(the database's excluded), the steadiest figure on a shared machine: quick to repeat while
changing code. ``--profile`` adds a pyinstrument profile of each request
(text, or HTML files in ``--html``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="Requests whose name contains this (repeatable).")
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per endpoint.")
    parser.add_argument("--profile", action="store_true", help="Also profile each endpoint with pyinstrument.")
    parser.add_argument("--html", type=Path, help="Write the profiles as HTML files in this directory.")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.harness.settings")
    import django

    django.setup()
    from django.test import Client

    from benchmarks.harness.endpoints import FLOOR, load_plan, with_etag
    from benchmarks.harness.probe import client_call, client_etag

    client = Client()
    plan = load_plan(Path(tempfile.mkdtemp(prefix="bench-profile-")))
    selected = [planned for planned in plan if planned.method == "GET"
                and (planned.name == FLOOR or not args.only or any(word in planned.name for word in args.only))]

    # Revalidation rows send the ETag of one GET made now (see benchmarks.harness.endpoints.with_etag).
    variants = {planned.name: with_etag(planned.as_json(), client_etag(client))["variants"][0] for planned in selected}

    def call(planned):
        variant = variants[planned.name]
        return client_call(client, "GET", variant["path"], variant["headers"], b"", "")

    for planned in selected:
        for _ in range(5):
            status = call(planned).status_code
        if status != planned.expected:
            print(f"FAILED {planned.name}: answered {status}", file=sys.stderr)
            return 1
    samples: dict = {planned.name: [] for planned in selected}
    cpu: dict = {planned.name: [] for planned in selected}
    # Interleaved rounds: a burst on the machine slows every endpoint alike, not only one.
    per_round = max(1, args.requests // ROUNDS)
    for _ in range(ROUNDS):
        for planned in selected:
            for _ in range(per_round):
                started, cpu_started = time.perf_counter(), time.process_time()
                call(planned)
                samples[planned.name].append((time.perf_counter() - started) * 1000)
                cpu[planned.name].append((time.process_time() - cpu_started) * 1000)
    floor_mean, floor_cpu = statistics.mean(samples[FLOOR]), statistics.mean(cpu[FLOOR])
    for planned in selected:
        times = samples[planned.name]
        mean, cpu_mean = statistics.mean(times), statistics.mean(cpu[planned.name])
        print(f"{planned.name:<42} wall: mean {mean:6.2f} ms, median {statistics.median(times):6.2f} ms, "
              f"{100 * floor_mean / mean:5.1f} % of the floor;  CPU of this process: {cpu_mean:6.2f} ms, "
              f"{100 * floor_cpu / cpu_mean:5.1f} % of the floor")
    if args.profile or args.html:
        from pyinstrument import Profiler

        for planned in selected:
            profiler = Profiler(interval=0.0002)
            with profiler:
                for _ in range(args.requests):
                    call(planned)
            if args.html:
                args.html.mkdir(parents=True, exist_ok=True)
                (args.html / f"{planned.name.replace(' ', '_')}.html").write_text(profiler.output_html())
            else:
                print(profiler.output_text(unicode=False, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

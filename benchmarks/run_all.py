"""The performance harness: ``make bench`` (full run, writes the docs figures) and ``make bench-smoke``.

For each database (PostgreSQL, then SQLite): create an empty database, migrate, generate
the scale data (``manage.py generate_scale_data``), count SQL queries per request and
measure growth inside Django (``benchmarks.harness.probe``), then serve the bench host
under gunicorn and load every endpoint with wrk on loopback, with the floor endpoint
(``benchmarks.harness.floor``) measured before and after them in the same server processes:
every endpoint is also reported as a percentage of the floor. ``benchmarks.harness.report``
turns the results into ``docs/_static/perf/`` (tables and plots). Exit status 1 when any
step fails or any request is answered with an unexpected status.

The bench host's cache is Redis (``--cache``, database 7 by default), flushed at the start of
each database's run, so that the versioned response cache is on as in production: the
cached endpoints are measured as a cache hit, a ``304`` revalidation and a cold read
(``benchmarks.harness.endpoints.cache_rows``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from benchmarks.harness import load, report  # noqa: E402
from benchmarks.harness.endpoints import FLOOR, with_etag  # noqa: E402

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/olapi_bench"
DEFAULT_CACHE = "redis://127.0.0.1:6379/7"
CORES = os.cpu_count() or 1
RESULTS = REPO / "benchmarks" / "results"
DOCS_OUT = REPO / "docs" / "_static" / "perf"

FULL = {"generate": [], "duration": 10.0, "max_requests": 20_000, "growth_seconds": 2.0}
SMOKE = {"generate": ["--learners", "40", "--courses", "6", "--growth", "1,10", "--units", "10"],
         "duration": 1.0, "max_requests": 100, "growth_seconds": 0.05}


def step(title: str) -> None:
    print(f"== {title}", flush=True)


def run(command: list[str], env: dict) -> float:
    """Run a step of the harness; its wall time in seconds. Any failure stops the harness."""
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, check=True)
    return time.perf_counter() - started


def recreate_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        db.execute(f'CREATE DATABASE "{name}"')


def vacuum_postgres(url: str) -> None:
    """Vacuum the freshly loaded tables now, so that autovacuum does not run during the measurements."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        db.execute("VACUUM (ANALYZE)")


def flush_cache(url: str) -> None:
    """Empty the bench host's Redis database, so that no token or entry of an earlier run is found.

    Stops the harness with the way out when Redis does not answer: start it, or run with
    ``--cache locmem`` (one cache per worker: the response cache is then off).
    """
    if url == "locmem":
        return
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).flushdb()
    except redis.RedisError as error:
        raise SystemExit(f"The bench cache {url} is not reachable ({error}). Start Redis "
                         f"(redis-server --port 6379), pass --cache redis://HOST:PORT/DB, or --cache locmem "
                         f"to measure without a shared cache (the response cache is then off).") from error


def database_env(kind: str, postgres_url: str, state: Path, cache_url: str = DEFAULT_CACHE) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="benchmarks.harness.settings", BENCH_STATE_DIR=str(state),
               PYTHONPATH=str(REPO), BENCH_CACHE_URL=cache_url)
    if kind == "postgresql":
        env["DATABASE_URL"] = postgres_url
    return env


def bench_database(kind: str, args, profile: dict, out: Path) -> dict:
    state = out / "state" / kind
    env = database_env(kind, args.postgres_url, state, args.cache)
    result: dict = {"database": kind, "cache": args.cache.split("://", 1)[0]}
    flush_cache(args.cache)
    if not args.reuse_data:
        step(f"{kind}: empty database, migrations, scale data")
        if kind == "postgresql":
            recreate_postgres(args.postgres_url)
        else:
            (state / "bench.sqlite3").unlink(missing_ok=True)
        state.mkdir(parents=True, exist_ok=True)
        run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
        progress = [] if sys.stdout.isatty() and not args.smoke else ["--no-progress"]
        result["generate_seconds"] = run([sys.executable, "manage.py", "generate_scale_data", *progress,
                                          *profile["generate"]], env)
        if kind == "postgresql":
            vacuum_postgres(args.postgres_url)
    step(f"{kind}: SQL queries per request and growth (Django test client)")
    probe_dir = out / kind
    status = subprocess.run([sys.executable, "-m", "benchmarks.harness.probe", str(probe_dir), "--growth-seconds",
                             str(profile["growth_seconds"])], cwd=REPO, env=env).returncode
    plan = json.loads((probe_dir / "plan.json").read_text())
    result.update(growth=plan["growth"], failures=list(plan["failures"]))
    if status and not plan["failures"]:
        result["failures"].append(f"probe exited with status {status}")

    step(f"{kind}: load (gunicorn {args.workers} workers x {args.threads} threads, wrk {args.connections} "
         f"connections, {profile['duration']:.0f} s or {profile['max_requests']} requests per endpoint)")
    endpoints = []
    # Other work on the machine skews the figures: the report shows how busy it was.
    result["load_average_before"] = round(os.getloadavg()[0], 2)
    floor_plan = next(planned for planned in plan["endpoints"] if planned["name"] == FLOOR)
    selected = [planned for planned in plan["endpoints"] if planned["name"] != FLOOR
                and (not args.only or any(word in planned["name"] for word in args.only))]
    with load.gunicorn(env, bind=args.bind, workers=args.workers, threads=args.threads,
                       log=out / f"gunicorn-{kind}.log") as (url, server_pid):
        meter = load.CpuMeter(server_pid, args.postgres_url.rsplit("/", 1)[1] if kind == "postgresql" else None)
        options = {"url": url, "script_dir": probe_dir, "connections": args.connections, "threads": 1,
                   "max_requests": profile["max_requests"], "duration": profile["duration"],
                   "warmup": 20 * args.workers * args.threads, "meter": meter}
        # The floor is measured first and last, by the same server processes; the endpoints are
        # compared with the mean of the two, which evens out a machine that gets busier or quieter.
        floors = [measure(floor_plan, **options)]
        endpoints += [measure(planned, **options) for planned in selected]
        floors.append(measure(floor_plan, **options))
    floor_rps = sum(floor["rps"] for floor in floors) / len(floors)
    result["floor"] = {"rps": floor_rps, "first_rps": floors[0]["rps"], "last_rps": floors[1]["rps"],
                       "p50_ms": floors[0]["p50_ms"], "p99_ms": max(floor["p99_ms"] for floor in floors),
                       "queries": floors[0]["queries"], "path": floors[0]["path"]}
    floor_entry = {**floors[0], "rps": floor_rps, "p99_ms": result["floor"]["p99_ms"],
                   **{key: sum(floor[key] for floor in floors) / len(floors) for key in ("app_cpu_ms", "db_cpu_ms")}}
    endpoints.insert(0, floor_entry)
    # The same comparison in CPU time per request (gunicorn + database), which other work on the
    # machine disturbs even less than throughput.
    floor_cpu = sum(floor["app_cpu_ms"] + floor["db_cpu_ms"] for floor in floors) / len(floors)
    result["floor"]["cpu_ms"] = floor_cpu
    for endpoint in endpoints:
        endpoint["floor_pct"] = 100 * endpoint["rps"] / floor_rps if floor_rps else 0.0
        endpoint["floor_cpu_pct"] = 100 * floor_cpu / max(endpoint["app_cpu_ms"] + endpoint["db_cpu_ms"], 0.001)
    print(f"  floor: {floors[0]['rps']:.1f} req/s first, {floors[1]['rps']:.1f} last; percentages of the mean "
          f"{floor_rps:.1f}", flush=True)
    for endpoint in endpoints:
        print(f"  {endpoint['name']:<42} {endpoint['floor_pct']:5.1f} % of the floor "
              f"({endpoint['floor_cpu_pct']:5.1f} % in CPU time)", flush=True)
    for endpoint in [*endpoints[1:], *floors]:
        if endpoint["errors"] or not endpoint["requests"]:
            result["failures"].append(f"{endpoint['name']}: {endpoint['errors']} failed of "
                                      f"{endpoint['requests']} requests under load")
    result["endpoints"] = endpoints
    result["load_average_after"] = round(os.getloadavg()[0], 2)
    return result


def measure(planned: dict, *, meter, warmup: int, duration: float, max_requests: int, **options) -> dict:
    """One endpoint under load: a short warm-up, then the measured wrk run with the CPU meter on.

    A revalidation row first fetches its ETag from the server under load.
    """
    planned = with_etag(planned, lambda path, headers: load.fetch_etag(options["url"], path, headers))
    # Warm every worker's caches (outlines, overviews, connections) before measuring.
    load.run_wrk(planned, duration=1, max_requests=warmup, **options)
    meter.start()
    figures = load.run_wrk(planned, duration=duration, max_requests=max_requests, **options)
    app_seconds, database_seconds = meter.stop()
    requests = max(figures["requests"], 1)
    figures.update(app_cpu_ms=1000 * app_seconds / requests, db_cpu_ms=1000 * database_seconds / requests)
    figures["capacity_rps"] = CORES * 1000 / max(figures["app_cpu_ms"] + figures["db_cpu_ms"], 0.001)
    print(f"  {planned['name']:<42} {figures['rps']:7.1f} req/s  p50 {figures['p50_ms']:6.1f} ms  "
          f"p99 {figures['p99_ms']:6.1f} ms  {planned['queries']:2d} queries  CPU/request "
          f"{figures['app_cpu_ms']:.1f} + {figures['db_cpu_ms']:.1f} ms (capacity "
          f"{figures['capacity_rps']:.0f} req/s)  {figures['errors']} errors", flush=True)
    return {**{key: planned[key] for key in ("name", "method", "expected", "queries", "tags")},
            "path": planned["variants"][0]["path"], "variants": len(planned["variants"]), **figures}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="Tiny data, one-second loads, SQLite only; "
                                                             "results in benchmarks/results/smoke.")
    parser.add_argument("--databases", default=None, help="Comma-separated: postgresql,sqlite "
                                                          "(default both; the smoke run: sqlite).")
    parser.add_argument("--postgres-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES),
                        help="The bench database (dropped and created again).")
    parser.add_argument("--cache", default=os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE),
                        help="The bench host's cache: a Redis URL (its database is flushed) or 'locmem'.")
    parser.add_argument("--duration", type=float, help="Seconds of load per endpoint.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--bind", default="", help="host:port of the bench host (default: a free loopback port).")
    parser.add_argument("--only", action="append", help="Load only endpoints whose name contains this "
                                                        "(repeatable; the floor is always measured).")
    parser.add_argument("--reuse-data", action="store_true", help="Skip database creation and generation.")
    parser.add_argument("--out", type=Path, help="Where figures and plots go (default docs/_static/perf).")
    parser.add_argument("--baseline", type=Path, help="The results.json of an earlier run: the report adds a "
                                                          "before-and-after table of the percentages of the floor.")
    parser.add_argument("--report-only", action="store_true",
                        help="Render the report again from OUT/results.json (no measurement).")
    args = parser.parse_args()
    docs_out = args.out or DOCS_OUT
    if args.report_only:
        saved = json.loads((docs_out / "results.json").read_text())
        baseline = json.loads(args.baseline.read_text()) if args.baseline else saved.get("baseline")
        report.write(saved["results"], saved["run"], docs_out, machine=saved["machine"], baseline=baseline)
        return 0
    # Read before the run: the baseline may be the very results.json this run replaces.
    baseline = json.loads(args.baseline.read_text()) if args.baseline else None

    profile = dict(SMOKE if args.smoke else FULL)
    if args.duration:
        profile["duration"] = args.duration
    databases = (args.databases or ("sqlite" if args.smoke else "postgresql,sqlite")).split(",")
    out = RESULTS / ("smoke" if args.smoke else "full")
    out.mkdir(parents=True, exist_ok=True)
    if args.smoke and not args.out:
        docs_out = out / "report"

    started = time.perf_counter()
    results = [bench_database(kind, args, profile, out) for kind in databases]
    run_info = {"smoke": args.smoke, "duration": profile["duration"], "max_requests": profile["max_requests"],
                "connections": args.connections, "cache": args.cache, "workers": args.workers, "threads": args.threads,
                "generate_options": profile["generate"] or "defaults", "wrk": load.wrk_version(),
                "postgres_url": args.postgres_url if "postgresql" in databases else None}
    step(f"report -> {docs_out}")
    report.write(results, run_info, docs_out, baseline=baseline)
    failures = [f"{result['database']}: {failure}" for result in results for failure in result["failures"]]
    failures += report.check_floor(results, docs_out)
    if not args.only:
        failures += report.check_cache_rows(results)
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    print(f"== done in {time.perf_counter() - started:.0f} s: {'FAILED' if failures else 'ok'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

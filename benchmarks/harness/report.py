"""Turns harness results into ``figures.inc`` (reStructuredText tables), ``results.json`` and PNG plots."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.harness.endpoints import CACHED_ENDPOINTS, COLD, HIT, REVALIDATION

# The targets of docs/performance.rst (2-core machine, PostgreSQL): (endpoint, minimum req/s, maximum p99 ms).
# The absolute ones are for the answers built every time (the cold rows).
TARGETS = [(f"v4 course_enrollments {COLD}", 300.0, 100.0), (f"sequence metadata {COLD}", None, 100.0),
           (f"courseware course info {COLD}", None, 100.0)]
# Targets as a percentage of the floor measured in the same run: (endpoint, minimum %).
RATIO_TARGETS = [
    *[(f"{name} {HIT}", 60.0) for name in ("v4 course_enrollments", "courseware course info", "sequence metadata")],
    *[(f"{name} {REVALIDATION}", 70.0)
      for name in ("v4 course_enrollments", "courseware course info", "sequence metadata")],
    (f"v4 course_enrollments {COLD}", 25.0),
]
# Every read the response cache answers (hits and revalidations) under the standard load.
CACHED_P99_MS = 50.0
# A growth cost is flat when the query count does not change and the median at the largest
# size stays within this factor of the median at the reference size.
FLAT_FACTOR = 1.5
FLAT_FROM = {"enrollments": 10, "units": 10}
DATABASE_TITLES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def machine_info(run_info: dict) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in _read_lines("/proc/cpuinfo")
                if line.startswith("model name")), platform.processor() or "unknown")
    memory_kb = next((int(line.split()[1]) for line in _read_lines("/proc/meminfo")
                      if line.startswith("MemTotal")), 0)
    import django
    import gunicorn

    info = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpu": cpu,
            "cores": os.cpu_count(), "memory": f"{memory_kb / 2**20:.0f} GiB",
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "django": django.get_version(), "gunicorn": gunicorn.__version__, "sqlite": sqlite3.sqlite_version,
            "wrk": run_info["wrk"]}
    if run_info.get("postgres_url"):
        info["postgresql"] = _postgres_version(run_info["postgres_url"])
    return info


def _read_lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def _postgres_version(url: str) -> str:
    try:
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
            return db.execute("SHOW server_version").fetchone()[0]
    except Exception as error:  # the report still renders without it
        return f"unknown ({error.__class__.__name__})"


def table(headers: list[str], rows: list[list]) -> str:
    """A reStructuredText list-table."""
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in [headers, *rows]:
        lines.append(f"   * - {row[0]}")
        lines.extend(f"     - {cell}" for cell in row[1:])
    return "\n".join(lines) + "\n"


def floor_pct(endpoint: dict, key: str = "floor_pct") -> str:
    """The endpoint's requests per second (``floor_cpu_pct``: CPU time) as a percentage of the floor's.

    "-" in results older than the floor.
    """
    return f"{endpoint[key]:.1f} %" if key in endpoint else "-"


def load_table(result: dict) -> str:
    rows = [[endpoint["name"], endpoint["method"], f"{endpoint['rps']:.0f}", floor_pct(endpoint),
             floor_pct(endpoint, "floor_cpu_pct"), f"{endpoint['p50_ms']:.1f}",
             f"{endpoint['p99_ms']:.1f}", str(endpoint["queries"]),
             f"{endpoint['app_cpu_ms']:.1f} + {endpoint['db_cpu_ms']:.1f}", f"{endpoint['capacity_rps']:.0f}",
             f"{endpoint['requests']}", str(endpoint["errors"])] for endpoint in result["endpoints"]]
    return table(["Endpoint", "Method", "Req/s", "% of floor", "% of floor (CPU)", "p50 ms", "p99 ms", "SQL queries",
                  "CPU ms per request (app + DB)", "Capacity req/s", "Requests", "Errors"], rows)


def growth_series(result: dict, axis: str) -> dict:
    """``{name: {size: row}}`` of one growth axis."""
    series: dict = {}
    for row in result["growth"]:
        if row["axis"] == axis:
            series.setdefault(row["name"], {})[row["size"]] = row
    return series


def flatness(points: dict, axis: str) -> tuple[bool, str, int, int]:
    """``(flat, verdict, reference size, largest size)`` of one growth series."""
    sizes = sorted(points)
    reference = FLAT_FROM[axis] if FLAT_FROM[axis] in points else sizes[0]
    largest = sizes[-1]
    same_queries = len({points[size]["queries"] for size in sizes if size >= reference}) == 1
    ratio = points[largest]["p50_ms"] / points[reference]["p50_ms"] if points[reference]["p50_ms"] else 1.0
    flat = same_queries and ratio <= FLAT_FACTOR
    return flat, f"{'flat' if flat else 'grows'} (x{ratio:.2f} from {reference} to {largest})", reference, largest


def growth_table(result: dict, axis: str) -> str:
    series = growth_series(result, axis)
    sizes = sorted({size for points in series.values() for size in points})
    rows = []
    for name, points in series.items():
        cells = [f"{points[size]['p50_ms']:.1f} ms / {points[size]['queries']} q" if size in points else "-"
                 for size in sizes]
        rows.append([name, *cells, flatness(points, axis)[1]])
    return table(["Endpoint", *[f"{size:,} {axis}" for size in sizes], "Verdict"], rows)


def target_rows(result: dict) -> list[list]:
    by_name = {endpoint["name"]: endpoint for endpoint in result["endpoints"]}
    rows = []
    for name, min_rps, max_p99 in TARGETS:
        endpoint = by_name.get(name)
        if endpoint is None:
            continue
        if min_rps is not None:
            rows.append([f"{name}: req/s >= {min_rps:.0f}", f"{endpoint['rps']:.0f}",
                         "met" if endpoint["rps"] >= min_rps else "MISSED"])
            rows.append([f"{name}: capacity >= {min_rps:.0f} req/s (from CPU time)",
                         f"{endpoint['capacity_rps']:.0f}", "met" if endpoint["capacity_rps"] >= min_rps else "MISSED"])
        rows.append([f"{name}: p99 < {max_p99:.0f} ms", f"{endpoint['p99_ms']:.1f} ms",
                     "met" if endpoint["p99_ms"] < max_p99 else "MISSED"])
    for name, minimum in RATIO_TARGETS:
        endpoint = by_name.get(name)
        if endpoint is not None and "floor_pct" in endpoint:
            rows.append([f"{name}: >= {minimum:.0f} % of the floor", floor_pct(endpoint),
                         "met" if endpoint["floor_pct"] >= minimum else "MISSED"])
    for endpoint in result["endpoints"]:
        if endpoint["name"].endswith((HIT, REVALIDATION)):
            rows.append([f"{endpoint['name']}: p99 < {CACHED_P99_MS:.0f} ms", f"{endpoint['p99_ms']:.1f} ms",
                         "met" if endpoint["p99_ms"] < CACHED_P99_MS else "MISSED"])
    for name, points in growth_series(result, "enrollments").items():
        flat, verdict, reference, largest = flatness(points, "enrollments")
        rows.append([f"{name}: flat from {reference:,} to {largest:,} enrollments", verdict,
                     "met" if flat else "MISSED"])
    return rows


def _ratio_pair(before: dict | None, after: dict, key: str) -> str:
    if before is None or key not in before:
        return f"- / {after[key]:.1f}" if key in after else "-"
    return f"{before[key]:.1f} / {after[key]:.1f}"


def comparison_table(before: dict, after: dict) -> str:
    """Each row of ``after`` against the same row of ``before`` (an earlier run on the same database).

    Percentages of the floor compare across runs where absolute figures do not (each run's
    floor is measured with it); p99 and query counts are given as they were.
    """
    earlier = {endpoint["name"]: endpoint for endpoint in before["endpoints"]}
    rows = []
    for endpoint in after["endpoints"]:
        old = earlier.get(endpoint["name"])
        rows.append([endpoint["name"], _ratio_pair(old, endpoint, "floor_pct"),
                     _ratio_pair(old, endpoint, "floor_cpu_pct"),
                     f"{old['p99_ms']:.1f} / {endpoint['p99_ms']:.1f}" if old else f"- / {endpoint['p99_ms']:.1f}",
                     f"{old['queries']} / {endpoint['queries']}" if old else f"- / {endpoint['queries']}"])
    return table(["Endpoint", "% of floor before / after", "% of floor (CPU) before / after",
                  "p99 ms before / after", "SQL queries before / after"], rows)


def baseline_section(result: dict, baseline: dict | None) -> str:
    """The "before and after" table of one database, when the run was given a baseline with that database."""
    if not baseline:
        return ""
    before = next((earlier for earlier in baseline["results"] if earlier["database"] == result["database"]), None)
    if before is None:
        return ""
    floor = before.get("floor", {})
    return (f"\n{heading('Before and after', '^')}"
            f"Before: the run of {baseline['machine'].get('date', 'an earlier date')} "
            f"(floor {floor.get('rps', 0):.0f} requests per second); after: this run. Each figure is a "
            f"percentage of its own run's floor.\n\n" + comparison_table(before, result))


def options_text(options) -> str:
    return "with its defaults" if options == "defaults" else "``" + " ".join(options) + "``"


def cache_text(cache: str | None) -> str:
    """The bench host's cache in words (results older than the Redis cache name none)."""
    if not cache or cache == "locmem":
        return "a local-memory cache per worker (the response cache off)"
    return f"Redis (``{cache}``, flushed before the run; the response cache on)"


def heading(text: str, underline: str) -> str:
    return f"{text}\n{underline * len(text)}\n\n"


def figures(results: list[dict], machine: dict, run_info: dict, plots: list[str],
            baseline: dict | None = None) -> str:
    parts = [heading("Machine", "~"), table(["What", "Value"], [[key, value] for key, value in machine.items()]),
             f"\nLoad: gunicorn {run_info['workers']} workers x {run_info['threads']} thread(s), wrk "
             f"{run_info['connections']} connections, {run_info['duration']:.0f} s or {run_info['max_requests']:,} "
             f"requests per endpoint after a one-second warm-up. Data: ``generate_scale_data`` "
             f"{options_text(run_info['generate_options'])}. Cache of the bench host: "
             f"{cache_text(run_info.get('cache'))}."
             "\n"]
    for result in results:
        title = DATABASE_TITLES.get(result["database"], result["database"])
        generated = (f"Scale data generated in {result['generate_seconds']:.0f} s. "
                     if "generate_seconds" in result else "")
        generated += (f"One-minute load average of the machine: {result['load_average_before']} before the load "
                      f"runs, {result['load_average_after']} after.")
        if "floor" in result:
            floor = result["floor"]
            generated += (f" The floor (``{floor['path']}``) served {floor['first_rps']:.0f} requests per second "
                          f"before the endpoints and {floor['last_rps']:.0f} after them; the percentages are of "
                          f"the mean, {floor['rps']:.0f}.")
        generated += "\n\n"
        parts += [f"\n{heading(title, '~')}", generated,
                  heading("Load", "^"), load_table(result), baseline_section(result, baseline),
                  f"\n{heading('Targets', '^')}", table(["Target", "Measured", ""], target_rows(result)),
                  f"\n{heading('Growth with enrollments (median, SQL queries)', '^')}",
                  growth_table(result, "enrollments"),
                  f"\n{heading('Growth with units in a sequence (median, SQL queries)', '^')}",
                  growth_table(result, "units")]
    for plot in plots:
        parts.append(f"\n.. image:: /_static/perf/{plot}\n   :alt: {plot.removesuffix('.png').replace('_', ' ')}\n")
    return "".join(parts)


def plot_all(results: list[dict], out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = []
    endpoints = [endpoint["name"] for endpoint in results[0]["endpoints"]]
    if endpoints:
        figure, (rps_axis, ratio_axis, p99_axis) = plt.subplots(1, 3, figsize=(15, 0.45 * len(endpoints) + 1.5),
                                                                sharey=True)
        height = 0.8 / len(results)
        for index, result in enumerate(results):
            by_name = {endpoint["name"]: endpoint for endpoint in result["endpoints"]}
            positions = [row + index * height for row in range(len(endpoints))]
            label = DATABASE_TITLES.get(result["database"], result["database"])
            rps_axis.barh(positions, [by_name.get(name, {}).get("rps", 0) for name in endpoints], height,
                          label=label)
            ratio_axis.barh(positions, [by_name.get(name, {}).get("floor_pct", 0) for name in endpoints], height,
                            label=label)
            p99_axis.barh(positions, [by_name.get(name, {}).get("p99_ms", 0) for name in endpoints], height,
                          label=label)
        rps_axis.set_yticks([row + 0.4 - height / 2 for row in range(len(endpoints))], endpoints)
        rps_axis.invert_yaxis()
        rps_axis.set_xlabel("requests per second (higher is better)")
        ratio_axis.set_xlabel("% of the floor, same run (higher is better)")
        p99_axis.set_xlabel("p99 latency, ms (lower is better)")
        p99_axis.axvline(100, color="grey", linestyle="--", linewidth=1)
        rps_axis.legend(loc="lower right")
        figure.tight_layout()
        figure.savefig(out / "load.png", dpi=90)
        plt.close(figure)
        names.append("load.png")
    for axis in ("enrollments", "units"):
        series_by_db = [(result, growth_series(result, axis)) for result in results]
        if not any(series for _, series in series_by_db):
            continue
        figure, (latency_axis, query_axis) = plt.subplots(1, 2, figsize=(12, 4.5))
        series_names = list(dict.fromkeys(name for _, series in series_by_db for name in series))
        colours = {name: f"C{index % 10}" for index, name in enumerate(series_names)}
        for result, series in series_by_db:
            # one colour per endpoint, one line style per database
            style = "-" if result is results[0] else ":"
            for name, points in series.items():
                sizes = sorted(points)
                label = f"{name} ({DATABASE_TITLES.get(result['database'], result['database'])})"
                latency_axis.plot(sizes, [points[size]["p50_ms"] for size in sizes], style, marker="o",
                                  color=colours[name], label=label)
                if result is results[0]:
                    query_axis.plot(sizes, [points[size]["queries"] for size in sizes], marker="o",
                                    color=colours[name], label=name)
        for subplot in (latency_axis, query_axis):
            subplot.set_xscale("log")
            subplot.set_xlabel(f"{axis} (log scale)")
        latency_axis.set_yscale("log")
        latency_axis.set_ylabel("median latency, ms (log scale)")
        query_axis.set_ylabel("SQL queries per request")
        query_axis.set_ylim(bottom=0)
        latency_axis.legend(fontsize=7)
        query_axis.legend(fontsize=7)
        figure.tight_layout()
        figure.savefig(out / f"growth_{axis}.png", dpi=90)
        plt.close(figure)
        names.append(f"growth_{axis}.png")
    return names


def write(results: list[dict], run_info: dict, out: Path, machine: dict | None = None,
          baseline: dict | None = None) -> None:
    """Everything in ``out``; ``machine`` defaults to this machine (give it to re-render old results).

    ``baseline``: the ``results.json`` of an earlier run (``run_all.py --baseline``), compared
    row by row in a "Before and after" table and kept in this run's ``results.json``.
    """
    out.mkdir(parents=True, exist_ok=True)
    machine = machine or machine_info(run_info)
    plots = plot_all(results, out)
    (out / "figures.inc").write_text(figures(results, machine, run_info, plots, baseline))
    saved = {"machine": machine, "run": run_info, "results": results}
    if baseline:
        saved["baseline"] = {key: baseline[key] for key in ("machine", "run", "results")}
    (out / "results.json").write_text(json.dumps(saved, indent=1, default=str))
    for result in results:
        for target, measured, verdict in target_rows(result):
            print(f"  {result['database']}: {target}: {measured} {verdict}")


def check_floor(results: list[dict], out: Path) -> list[str]:
    """What is wrong with the floor in a written report: each database measured it, every row has its ratio.

    The smoke run calls it, so that CI fails when the floor is no longer measured or reported.
    """
    problems = []
    for result in results:
        rows = result.get("endpoints", [])
        floor = next((endpoint for endpoint in rows if endpoint["name"] == "floor"), None)
        if floor is None or not floor.get("requests") or not result.get("floor", {}).get("rps"):
            problems.append(f"{result['database']}: the floor endpoint was not measured")
        missing = [endpoint["name"] for endpoint in rows if "floor_pct" not in endpoint]
        if missing:
            problems.append(f"{result['database']}: no percentage of the floor for {', '.join(missing)}")
    figures_text = (out / "figures.inc").read_text() if (out / "figures.inc").exists() else ""
    if "% of floor" not in figures_text:
        problems.append("figures.inc has no '% of floor' column")
    return problems


def check_cache_rows(results: list[dict]) -> list[str]:
    """The cached endpoints' rows missing from a run: each is measured as a hit, a ``304`` and cold.

    The smoke run calls it, so that CI fails when the load plan loses one of them.
    """
    problems = []
    for result in results:
        measured = {endpoint["name"]: endpoint for endpoint in result.get("endpoints", [])}
        for name in CACHED_ENDPOINTS:
            for suffix in (HIT, REVALIDATION, COLD):
                row = measured.get(f"{name} {suffix}")
                if row is None or not row.get("requests"):
                    problems.append(f"{result['database']}: the row '{name} {suffix}' was not measured")
    return problems

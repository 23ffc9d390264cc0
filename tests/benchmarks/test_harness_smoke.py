"""The performance harness's own parts: the scale data generator, the wrk script and the report."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from benchmarks.harness import cold, load, report
from benchmarks.harness.endpoints import CACHED_ENDPOINTS, COLD, HIT, REVALIDATION, load_plan, with_etag
from benchmarks.harness.floor import floor_path
from benchmarks.harness.probe import client_call, client_etag
from example.demo_tools.management.commands.generate_scale_data import UNITS_COURSE, sequence_key
from openedx_learner_apis.applets.badges.models import BadgeAssertion, BadgeClass
from openedx_learner_apis.applets.certificates.models import Certificate
from openedx_learner_apis.applets.courses.models import Block, Course
from openedx_learner_apis.applets.courses.outline import get_outline
from openedx_learner_apis.applets.enrollments.models import Enrollment
from openedx_learner_apis.applets.progress.models import BlockCompletion

TINY = ["--learners", "12", "--courses", "4", "--growth", "1,6", "--units", "3,7", "--no-progress"]


def generate(*extra: str) -> None:
    call_command("generate_scale_data", *TINY, *extra, stdout=io.StringIO())


def snapshot() -> dict:
    """What the generator decided, without database ids or creation times."""
    return {
        "enrollments": sorted(Enrollment.objects.values_list("user__username", "course__course_key", "mode")),
        "completions": sorted(BlockCompletion.objects.values_list("user__username", "block_key")),
        "certificates": sorted(Certificate.objects.values_list("user__username", "course_key")),
        "badges": sorted(BadgeAssertion.objects.values_list("user__username", "badge_class__course_key")),
    }


@pytest.mark.django_db
def test_generator_builds_the_requested_shape():
    generate()
    users = get_user_model().objects
    assert users.filter(username__startswith="bench_learner_").count() == 12
    assert Course.objects.exclude(org="BenchArchive").count() == 4
    assert Enrollment.objects.filter(user__username="bench_e6").count() == 6
    assert Enrollment.objects.filter(user__username="bench_e1").count() == 1
    # bench_e6 needs 6 courses: 2 archive courses complete the 4 shared ones
    assert Course.objects.filter(org="BenchArchive").count() == 2
    outline = get_outline(Course.objects.get(course_key=UNITS_COURSE).course_key)
    sizes = {str(block.usage_key): len(block.children) for block in outline.of_type("sequential")}
    assert sizes == {sequence_key(3): 3, sequence_key(7): 7}
    small = Course.objects.filter(org="BenchX").exclude(course_key=UNITS_COURSE).first()
    blocks = list(Block.objects.filter(course=small).order_by("preorder"))
    assert len(blocks) == 31 and [block.preorder for block in blocks] == list(range(31))
    assert all(block.parent is None or block.parent.preorder < block.preorder for block in blocks)


@pytest.mark.django_db
def test_generator_is_deterministic_and_refuses_a_second_run():
    generate()
    first = snapshot()
    with pytest.raises(Exception, match="already holds bench data"):
        generate()
    for model in (BadgeAssertion, BadgeClass, Certificate, BlockCompletion, Enrollment):
        model.objects.all().delete()
    get_user_model().objects.filter(username__startswith="bench_").delete()
    Course.objects.all().delete()
    generate()
    assert snapshot() == first


def test_wrk_script_bounds_requests_and_rotates_variants():
    planned = {"name": "upload", "method": "POST", "body_file": "/tmp/body", "content_type": "image/jpeg",
               "variants": [{"path": "/a", "headers": {"Authorization": "JWT x"}},
                            {"path": "/b", "headers": {"Authorization": "JWT y"}}]}
    script = load.lua_script(planned, host="127.0.0.1:9", threads=2, max_requests=100)
    assert "local max_requests = 50" in script
    assert '{[==[/a]==], {[ [==[Host]==] ] = [==[127.0.0.1:9]==]' in script
    assert "[ [==[Content-Type]==] ] = [==[image/jpeg]==]" in script
    assert "wrk.thread:stop()" in script


def growth_rows(latencies: dict, queries: dict) -> list[dict]:
    return [{"axis": "enrollments", "size": size, "name": "list", "p50_ms": latencies[size], "queries": queries[size]}
            for size in latencies]


@pytest.mark.parametrize(("latencies", "queries", "flat"), [
    ({1: 1.0, 10: 2.0, 1000: 2.5}, {1: 3, 10: 4, 1000: 4}, True),
    ({10: 2.0, 1000: 3.5}, {10: 4, 1000: 4}, False),
    ({10: 2.0, 1000: 2.0}, {10: 4, 1000: 5}, False),
])
def test_flatness_compares_from_ten(latencies, queries, flat):
    series = report.growth_series({"growth": growth_rows(latencies, queries)}, "enrollments")
    assert report.flatness(series["list"], "enrollments")[0] is flat


def test_report_writes_tables_plots_and_json(tmp_path):
    endpoint = {"name": f"v4 course_enrollments {COLD}", "method": "GET", "rps": 320.0, "p50_ms": 20.0, "p99_ms": 90.0,
                "queries": 16, "requests": 3200, "errors": 0, "app_cpu_ms": 4.0, "db_cpu_ms": 1.0,
                "capacity_rps": 400.0}
    result = {"database": "sqlite", "endpoints": [endpoint], "failures": [], "load_average_before": 0.5,
              "load_average_after": 1.0, "growth": growth_rows({10: 2.0, 1000: 2.2}, {10: 4, 1000: 4})}
    run_info = {"wrk": "wrk 4.2.0", "workers": 2, "threads": 1, "connections": 8, "duration": 1.0,
                "max_requests": 100, "generate_options": "defaults", "postgres_url": None}
    report.write([result], run_info, tmp_path)
    figures = (tmp_path / "figures.inc").read_text()
    assert f"v4 course_enrollments {COLD}: req/s >= 300" in figures and "MISSED" not in figures
    assert {"load.png", "growth_enrollments.png"} <= {path.name for path in tmp_path.iterdir()}
    assert json.loads((tmp_path / "results.json").read_text())["results"][0]["database"] == "sqlite"


def measured(name: str, rps: float, **extra) -> dict:
    return {"name": name, "method": "GET", "rps": rps, "p50_ms": 5.0, "p99_ms": 20.0, "queries": 1,
            "requests": 1000, "errors": 0, "app_cpu_ms": 1.0, "db_cpu_ms": 0.1, "capacity_rps": 1800.0, **extra}


RUN_INFO = {"wrk": "wrk 4.2.0", "workers": 2, "threads": 1, "connections": 8, "duration": 1.0,
            "max_requests": 100, "generate_options": "defaults", "postgres_url": None}


def result_with_floor() -> dict:
    floor = measured("floor", 800.0, floor_pct=100.0, floor_cpu_pct=100.0, path=floor_path("bench_e10"))
    enrollments = measured(f"v4 course_enrollments {COLD}", 240.0, floor_pct=30.0, floor_cpu_pct=27.5)
    return {"database": "sqlite", "endpoints": [floor, enrollments], "failures": [], "growth": [],
            "load_average_before": 0.5, "load_average_after": 1.0,
            "floor": {"rps": 800.0, "first_rps": 810.0, "last_rps": 790.0, "p50_ms": 5.0, "p99_ms": 20.0,
                      "queries": 1, "path": floor_path("bench_e10")}}


def test_report_shows_the_floor_and_each_endpoints_percentage(tmp_path):
    report.write([result_with_floor()], RUN_INFO, tmp_path)
    figures = (tmp_path / "figures.inc").read_text()
    assert "% of floor" in figures
    assert "     - 30.0 %\n     - 27.5 %" in figures and "     - 100.0 %" in figures
    assert "% of floor (CPU)" in figures
    assert "810 requests per second before the endpoints and 790 after" in figures
    assert f"v4 course_enrollments {COLD}: >= 25 % of the floor" in figures
    assert report.check_floor([result_with_floor()], tmp_path) == []


def test_ratio_target_is_missed_below_a_quarter_of_the_floor(tmp_path):
    result = result_with_floor()
    result["endpoints"][1]["floor_pct"] = 12.0
    report.write([result], RUN_INFO, tmp_path)
    assert "MISSED" in (tmp_path / "figures.inc").read_text()


def test_check_floor_names_a_run_without_the_floor(tmp_path):
    result = result_with_floor()
    del result["floor"]
    result["endpoints"] = [{key: value for key, value in result["endpoints"][1].items()
                            if key not in ("floor_pct", "floor_cpu_pct")}]
    report.write([result], RUN_INFO, tmp_path)
    problems = report.check_floor([result], tmp_path)
    assert "sqlite: the floor endpoint was not measured" in problems
    assert f"sqlite: no percentage of the floor for v4 course_enrollments {COLD}" in problems


def test_report_renders_results_older_than_the_floor(tmp_path):
    result = result_with_floor()
    del result["floor"]
    result["endpoints"] = result["endpoints"][1:]
    del result["endpoints"][0]["floor_pct"], result["endpoints"][0]["floor_cpu_pct"]
    report.write([result], RUN_INFO, tmp_path)
    assert "     - -\n" in (tmp_path / "figures.inc").read_text()


def test_report_compares_each_row_with_a_baseline_run(tmp_path):
    before = result_with_floor()
    before["endpoints"][1].update(floor_pct=14.0, floor_cpu_pct=13.1, p99_ms=80.3, queries=9)
    after = result_with_floor()
    after["endpoints"].append(measured("badges list (cold)", 300.0, floor_pct=37.5, floor_cpu_pct=36.0))
    baseline = {"machine": {"date": "2026-12-06 14:00 UTC"}, "run": RUN_INFO, "results": [before]}
    report.write([after], RUN_INFO, tmp_path, baseline=baseline)
    figures = (tmp_path / "figures.inc").read_text()
    assert "Before and after" in figures and "the run of 2026-12-06 14:00 UTC (floor 800" in figures
    assert (f"   * - v4 course_enrollments {COLD}\n     - 14.0 / 30.0\n     - 13.1 / 27.5\n"
            "     - 80.3 / 20.0\n     - 9 / 1\n") in figures
    assert "   * - badges list (cold)\n     - - / 37.5\n" in figures  # a row the baseline did not measure
    assert json.loads((tmp_path / "results.json").read_text())["baseline"]["results"][0]["database"] == "sqlite"
    report.write([after], RUN_INFO, tmp_path / "other", baseline={**baseline, "results": []})
    assert "Before and after" not in (tmp_path / "other" / "figures.inc").read_text()


CACHE_ROW_NAMES = [f"{name} {suffix}" for name in CACHED_ENDPOINTS for suffix in (HIT, REVALIDATION, COLD)]


@pytest.mark.django_db
def test_the_load_plan_measures_each_cached_endpoint_three_ways(tmp_path, settings, client):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "benchmarks.harness.cold.ColdRequestMiddleware"]
    generate("--growth", "1,10")  # the load learner is bench_e10
    plan = {planned.name: planned for planned in load_plan(tmp_path)}
    assert set(CACHE_ROW_NAMES) <= set(plan)
    for name in CACHE_ROW_NAMES:
        planned = plan[name].as_json()
        assert planned["revalidate"] is name.endswith(REVALIDATION)
        assert planned["expected"] == (304 if name.endswith(REVALIDATION) else 200)
        assert (planned["variants"][0]["headers"].get(cold.HEADER) == cold.OFF) is name.endswith(COLD)
        # What the probe and the load send: the revalidation with the ETag of a GET made just before.
        variant = with_etag(planned, client_etag(client))["variants"][0]
        assert ("If-None-Match" in variant["headers"]) is name.endswith(REVALIDATION)
        response = client_call(client, "GET", variant["path"], variant["headers"], b"", "")
        assert response.status_code == planned["expected"], name


def test_with_etag_leaves_other_rows_alone_and_refuses_an_answer_without_etag():
    row = {"name": "x (304)", "revalidate": True,
           "variants": [{"path": "/a", "headers": {"Authorization": "JWT a", "If-None-Match": '"old"'}}]}
    assert with_etag({**row, "revalidate": False}, lambda path, headers: '"new"') == {**row, "revalidate": False}
    fetched = []
    resolved = with_etag(row, lambda path, headers: fetched.append((path, headers)) or '"new"')
    assert fetched == [("/a", {"Authorization": "JWT a"})]
    assert resolved["variants"][0]["headers"] == {"Authorization": "JWT a", "If-None-Match": '"new"'}
    with pytest.raises(RuntimeError, match="without an ETag"):
        with_etag(row, lambda path, headers: None)


def test_wrk_script_counts_answers_other_than_the_expected_status():
    planned = {"name": "x (304)", "method": "GET", "body_file": "", "content_type": "", "expected": 304,
               "variants": [{"path": "/a", "headers": {"If-None-Match": '"e"'}}]}
    script = load.lua_script(planned, host="127.0.0.1:9", threads=1, max_requests=10)
    assert "local expected = 304" in script and "if status ~= expected then" in script
    assert '\\"unexpected\\": %d' in script


def test_check_cache_rows_names_every_missing_row():
    rows = [measured(name, 500.0) for name in CACHE_ROW_NAMES]
    assert report.check_cache_rows([{"database": "sqlite", "endpoints": rows}]) == []
    problems = report.check_cache_rows([{"database": "sqlite", "endpoints": rows[1:]}])
    assert problems == [f"sqlite: the row '{CACHE_ROW_NAMES[0]}' was not measured"]


def test_report_shows_the_cache_targets(tmp_path):
    result = result_with_floor()
    result["endpoints"] += [
        measured(f"v4 course_enrollments {HIT}", 560.0, floor_pct=70.0, floor_cpu_pct=70.0),
        measured(f"v4 course_enrollments {REVALIDATION}", 520.0, floor_pct=65.0, floor_cpu_pct=70.0, p99_ms=60.0),
        measured(f"v4 course_enrollments {COLD}", 240.0, floor_pct=30.0, floor_cpu_pct=27.5),
    ]
    report.write([result], {**RUN_INFO, "cache": "redis://127.0.0.1:6379/7"}, tmp_path)
    rows = {target: verdict for target, _, verdict in report.target_rows(result)}
    assert rows[f"v4 course_enrollments {HIT}: >= 60 % of the floor"] == "met"
    assert rows[f"v4 course_enrollments {REVALIDATION}: >= 70 % of the floor"] == "MISSED"
    assert rows[f"v4 course_enrollments {COLD}: >= 25 % of the floor"] == "met"
    assert rows[f"v4 course_enrollments {HIT}: p99 < 50 ms"] == "met"
    assert rows[f"v4 course_enrollments {REVALIDATION}: p99 < 50 ms"] == "MISSED"
    assert "Redis (``redis://127.0.0.1:6379/7``" in (tmp_path / "figures.inc").read_text()


def test_an_unreachable_bench_cache_stops_the_harness_with_the_way_out():
    from benchmarks import run_all

    run_all.flush_cache("locmem")  # nothing to flush
    with pytest.raises(SystemExit, match="--cache locmem"):
        run_all.flush_cache("redis://127.0.0.1:1/7")

"""The performance harness's own parts: the scale data generator, the wrk script and the report."""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from benchmarks.harness import load, report
from benchmarks.harness.floor import floor_path
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
    endpoint = {"name": "v4 course_enrollments", "method": "GET", "rps": 320.0, "p50_ms": 20.0, "p99_ms": 90.0,
                "queries": 16, "requests": 3200, "errors": 0, "app_cpu_ms": 4.0, "db_cpu_ms": 1.0,
                "capacity_rps": 400.0}
    result = {"database": "sqlite", "endpoints": [endpoint], "failures": [], "load_average_before": 0.5,
              "load_average_after": 1.0, "growth": growth_rows({10: 2.0, 1000: 2.2}, {10: 4, 1000: 4})}
    run_info = {"wrk": "wrk 4.2.0", "workers": 2, "threads": 1, "connections": 8, "duration": 1.0,
                "max_requests": 100, "generate_options": "defaults", "postgres_url": None}
    report.write([result], run_info, tmp_path)
    figures = (tmp_path / "figures.inc").read_text()
    assert "v4 course_enrollments: req/s >= 300" in figures and "MISSED" not in figures
    assert {"load.png", "growth_enrollments.png"} <= {path.name for path in tmp_path.iterdir()}
    assert json.loads((tmp_path / "results.json").read_text())["results"][0]["database"] == "sqlite"


def measured(name: str, rps: float, **extra) -> dict:
    return {"name": name, "method": "GET", "rps": rps, "p50_ms": 5.0, "p99_ms": 20.0, "queries": 1,
            "requests": 1000, "errors": 0, "app_cpu_ms": 1.0, "db_cpu_ms": 0.1, "capacity_rps": 1800.0, **extra}


RUN_INFO = {"wrk": "wrk 4.2.0", "workers": 2, "threads": 1, "connections": 8, "duration": 1.0,
            "max_requests": 100, "generate_options": "defaults", "postgres_url": None}


def result_with_floor() -> dict:
    floor = measured("floor", 800.0, floor_pct=100.0, floor_cpu_pct=100.0, path=floor_path("bench_e10"))
    enrollments = measured("v4 course_enrollments", 240.0, floor_pct=30.0, floor_cpu_pct=27.5)
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
    assert "v4 course_enrollments: >= 25 % of the floor" in figures
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
    assert "sqlite: no percentage of the floor for v4 course_enrollments" in problems


def test_report_renders_results_older_than_the_floor(tmp_path):
    result = result_with_floor()
    del result["floor"]
    result["endpoints"] = result["endpoints"][1:]
    del result["endpoints"][0]["floor_pct"], result["endpoints"][0]["floor_cpu_pct"]
    report.write([result], RUN_INFO, tmp_path)
    assert "     - -\n" in (tmp_path / "figures.inc").read_text()

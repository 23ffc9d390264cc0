"""
Benchmark the courseware course info and sequence metadata endpoints.

Usage: python benchmarks/bench_courseware.py [--repeats R] [--units N]

Builds an in-memory SQLite database (``test_settings``), imports the demo course
(``example/data/demo-course-olx.tar.gz`` or ``--olx PATH``) and generates a course
with one N-unit sequence (default 100 units, each a problem, a video and an html block).
A verified learner is enrolled in both, with completions, bookmarks, a goal and every
courseware waffle flag on (the most work a request can do). Each endpoint is timed through
Django's test client after one warm-up request; the report gives the median, the p90 and
the SQL queries of one request. Target: median under 100 ms each; exit status 1 when missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

TARGET_MS = 100.0
DEMO_OLX = str(Path(__file__).resolve().parents[1] / "example" / "data" / "demo-course-olx.tar.gz")
FLAGS = ("courseware.mfe_progress_milestones", "courseware.mfe_progress_milestones_streak_celebration",
         "courseware.streak_discount_enabled", "course_experience.enable_course_goals",
         "courseware.microfrontend_course_exit_page")


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "test_settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, run_syncdb=True)


def generated_course(units: int):
    """A course with one sequence of ``units`` verticals (problem, video, html in each)."""
    from opaque_keys.edx.keys import CourseKey

    from openedx_learner_apis.api import upsert_course, upsert_course_mode
    from openedx_learner_apis.applets.courses.models import Block

    key = CourseKey.from_string("course-v1:Bench+Seq+run")
    course = upsert_course(key, display_name="Generated")
    upsert_course_mode(key, "audit")
    upsert_course_mode(key, "verified", min_price=49, sku="BENCH")
    order = iter(range(10 ** 6))

    def block(block_type, block_id, parent=None, **fields):
        return Block.objects.create(course=course, usage_key=key.make_usage_key(block_type, block_id),
                                    block_type=block_type, parent=parent, preorder=next(order),
                                    display_name=fields.pop("display_name", block_id), **fields)

    root = block("course", "course")
    chapter = block("chapter", "chapter", root)
    sequence = block("sequential", "sequence", chapter, graded=True, format="Homework")
    for index in range(units):
        unit = block("vertical", f"unit_{index}", sequence, position=index)
        for leaf in ("problem", "video", "html"):
            block(leaf, f"{leaf}_{index}", unit)
    return key, sequence.usage_key


def learner_in(course_keys, sequences):
    from django.contrib.auth import get_user_model

    from openedx_learner_apis.api import (
        add_bookmark,
        enroll,
        get_outline,
        record_completion,
        set_course_goal,
        set_position,
    )

    user = get_user_model().objects.create_user("bench", "bench@example.com", "password")
    for key, sequence in zip(course_keys, sequences):
        enroll(user, key, "verified")
        set_course_goal(user, key, 3, True)
        set_position(user, sequence, 1)
        units = get_outline(key).get(sequence).children
        for unit in units[::2]:
            add_bookmark(user, unit.usage_key)
            for leaf in unit.children:
                record_completion(user, leaf.usage_key)
    return user


def measure(client, url, repeats: int) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    queries = len(captured)  # now: the next request resets the connection's query log
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.9) - 1], queries, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--olx", default=DEMO_OLX)
    args = parser.parse_args()
    setup_django()
    from django.test import Client
    from waffle.models import Flag

    from openedx_learner_apis.api import get_outline, import_olx

    for name in FLAGS:
        Flag.objects.update_or_create(name=name, defaults={"everyone": True})
    demo_key = import_olx(args.olx)
    demo_sequence = max(get_outline(demo_key).of_type("sequential"), key=lambda block: len(block.children))
    generated_key, generated_sequence = generated_course(args.units)
    user = learner_in([demo_key, generated_key], [demo_sequence.usage_key, generated_sequence])
    client = Client()
    client.force_login(user)
    cases = [
        ("course info, demo course", f"/api/courseware/course/{demo_key}?browser_timezone=Europe/Paris"),
        (f"sequence, demo course ({len(demo_sequence.children)} units)",
         f"/api/courseware/sequence/{demo_sequence.usage_key}"),
        ("course info, generated course", f"/api/courseware/course/{generated_key}?browser_timezone=Europe/Paris"),
        (f"sequence, generated ({args.units} units)", f"/api/courseware/sequence/{generated_sequence}"),
    ]
    missed = False
    print(f"{'case':45} {'median ms':>10} {'p90 ms':>8} {'queries':>8}")
    for label, url in cases:
        median, p90, queries, status = measure(client, url, args.repeats)
        if status != 200:
            print(f"{label}: HTTP {status}")
            return 1
        missed |= median > TARGET_MS
        print(f"{label:45} {median:10.1f} {p90:8.1f} {queries:8d}")
    print(f"target: median under {TARGET_MS:.0f} ms each -> {'MISSED' if missed else 'met'}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())

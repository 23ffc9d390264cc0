"""
Benchmark the mobile v4 ``course_enrollments`` route for a learner with many enrollments.

Usage: python benchmarks/bench_mobile_enrollments.py [--enrollments N] [--repeats R] [--progress]

Builds an in-memory SQLite database (``test_settings``), a learner enrolled in N
mobile-available courses (each with a small outline, modes, a certificate, a completion
and a saved position), then times GET ``/api/mobile/v4/users/<user>/course_enrollments/``
through Django's test client after one warm-up. Reports the median and the number of SQL
queries of one request. Target: median under 100 ms for 1000 enrollments; exit status 1
when missed.
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


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "test_settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, run_syncdb=True)


def populate(count: int):
    from django.contrib.auth import get_user_model
    from opaque_keys.edx.keys import CourseKey

    from openedx_learner_apis.applets.certificates.models import Certificate
    from openedx_learner_apis.applets.courses.models import Block, Course, CourseMode
    from openedx_learner_apis.applets.enrollments.models import Enrollment
    from openedx_learner_apis.applets.progress.models import BlockCompletion, CoursewarePosition

    user = get_user_model().objects.create_user("bench", "bench@example.com", "password")
    keys = [CourseKey.from_string(f"course-v1:Bench+C{index}+1") for index in range(count)]
    Course.objects.bulk_create([Course(course_key=key, org=key.org, number=key.course, run=key.run,
                                       display_name=f"Course {index}", mobile_available=True)
                                for index, key in enumerate(keys)])
    courses = {course.course_key: course for course in Course.objects.all()}
    CourseMode.objects.bulk_create([CourseMode(course=courses[key], mode_slug=slug, min_price=price)
                                    for key in keys for slug, price in (("audit", 0), ("verified", 49))])
    Enrollment.objects.bulk_create([Enrollment(user=user, course=courses[key]) for key in keys])
    Certificate.objects.bulk_create([Certificate(user=user, course_key=key, status="downloadable",
                                                 download_url="/c.pdf") for key in keys[::3]])
    roots = Block.objects.bulk_create([Block(course=courses[key], usage_key=key.make_usage_key("course", "course"),
                                             block_type="course", preorder=0) for key in keys])
    chapters = Block.objects.bulk_create([Block(course=root.course, parent=root, block_type="chapter", preorder=1,
                                                usage_key=root.course.course_key.make_usage_key("chapter", "ch"))
                                          for root in roots])
    sequentials = Block.objects.bulk_create([
        Block(course=chapter.course, parent=chapter, block_type="sequential", preorder=2, graded=True,
              usage_key=chapter.course.course_key.make_usage_key("sequential", "seq")) for chapter in chapters])
    verticals = Block.objects.bulk_create([
        Block(course=seq.course, parent=seq, block_type="vertical", preorder=3,
              usage_key=seq.course.course_key.make_usage_key("vertical", "unit")) for seq in sequentials])
    problems = Block.objects.bulk_create([
        Block(course=unit.course, parent=unit, block_type="problem", preorder=4,
              usage_key=unit.course.course_key.make_usage_key("problem", "p")) for unit in verticals])
    BlockCompletion.objects.bulk_create([BlockCompletion(user=user, course_key=problem.course.course_key,
                                                         block_key=problem.usage_key, block_type="problem",
                                                         completion=1.0) for problem in problems[::2]])
    CoursewarePosition.objects.bulk_create([CoursewarePosition(user=user, course_key=root.course.course_key,
                                                               block_key=root.usage_key) for root in roots[::5]])
    return user


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[1])
    parser.add_argument("--enrollments", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=25)
    parser.add_argument("--progress", action="store_true", help="add requested_fields=course_progress")
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    user = populate(args.enrollments)
    client = APIClient()
    client.force_login(user)
    url = "/api/mobile/v4/users/bench/course_enrollments/" + ("?requested_fields=course_progress"
                                                             if args.progress else "")
    response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.json()["enrollments"]["count"] == args.enrollments - 1
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    query_count = len(queries.captured_queries)
    timings = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    median = statistics.median(timings)
    print(f"v4 course_enrollments, {args.enrollments} enrollments{' + course_progress' if args.progress else ''}: "
          f"median {median:.1f} ms (min {min(timings):.1f}, max {max(timings):.1f}, {args.repeats} runs), "
          f"{query_count} queries; target < {TARGET_MS:.0f} ms")
    return 0 if median < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())

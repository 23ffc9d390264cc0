"""
Throughput of ``adopt_openedx_data`` on a generated LMS-shaped database.

Usage: python benchmarks/bench_adoption.py [--server mysql://root@127.0.0.1:3306] [--learners 10000]
       [--courses 50] [--batch-size 1000]

It (re)creates two MariaDB databases on the server: ``adopt_bench``, the LMS (its tables as
``tests/adoption/lms_schema.py`` builds them, filled by ``tests/adoption/lms_data.py`` with a
fixed seed), and ``adopt_bench_target``, this app's database (migrated). It then runs the
adoption twice, from outside the LMS (``auth_user`` copied): the first run writes everything,
the second finds nothing to change. It prints rows read per second, per table and in total,
for both runs. Both databases are dropped at the end unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LMS_DB = "adopt_bench"
TARGET_DB = "adopt_bench_target"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="mysql://root@127.0.0.1:3306")
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--courses", type=int, default=50)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"{args.server}/{TARGET_DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "test_settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from openedx_learner_apis.management.adoption.report import render
    from openedx_learner_apis.management.adoption.runner import Adoption
    from tests.adoption import lms_data, lms_schema

    default = connections["default"]
    with default._nodb_cursor() as cursor:
        for name in (LMS_DB, TARGET_DB):
            cursor.execute(f"DROP DATABASE IF EXISTS {name}")
            cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    settings = {**default.settings_dict, "NAME": LMS_DB}
    settings.pop("TEST", None)
    connections.settings["lms"] = connections.configure_settings({"default": default.settings_dict,
                                                                  "lms": settings})["lms"]
    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        lms_schema.create_tables("lms")
        filled = lms_data.fill("lms", learners=args.learners, courses=args.courses, case_twins=False)
        print(f"generated the LMS database: {len(filled['usernames'])} learners, {len(filled['courses'])} courses "
              f"in {time.perf_counter() - started:.0f} s")
        for label in ("first run (everything created)", "second run (nothing to change)"):
            reports = Adoption("lms", batch_size=args.batch_size).run()
            print(f"\n{label}, batch size {args.batch_size}:")
            print(render(reports, dry_run=False).split("\n  ")[0])
    finally:
        connections["lms"].close()
        if not args.keep:
            with default._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {LMS_DB}")
            default.close()
            with default._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {TARGET_DB}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

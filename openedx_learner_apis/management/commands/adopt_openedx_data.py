"""``manage.py adopt_openedx_data``: fill the applets from an Open edX LMS's own tables (docs/adoption.rst).

Run inside the LMS (the default database, whose ``auth_user`` this app shares) or from outside
with ``--database`` naming a read-only alias of the LMS database. Idempotent, batched,
resumable after an interruption; ``--dry-run`` counts without writing.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.dateparse import parse_date, parse_datetime

from ..adoption.report import Progress, render
from ..adoption.runner import Adoption


def parse_since(value: str) -> datetime.datetime:
    """``2024-05-01`` or ``2024-05-01T12:00:00[+02:00]``; a value without a zone is UTC."""
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"--since {value!r} is not a date (YYYY-MM-DD) or a date and time (ISO 8601).")
        parsed = datetime.datetime.combine(day, datetime.time())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


class Command(BaseCommand):
    help = "Adopt an Open edX LMS's learners, courses, enrollments and records into this app's tables."
    # For tests: called after each batch's writes, inside its transaction, as (table, batch number).
    stealth_options = ("batch_hook",)

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS,
                            help="The alias of the LMS database (default: the default database, inside the LMS).")
        parser.add_argument("--since", type=parse_since, default=None,
                            help="Read only rows modified since this date, where the LMS table dates its changes.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")
        parser.add_argument("--batch-size", type=int, default=1000, help="Rows per read and write (default 1000).")
        parser.add_argument("--no-progress", action="store_true", help="No progress lines on stderr.")

    def handle(self, *args, database, since, dry_run, batch_size, no_progress, **options):
        if database not in connections:
            raise CommandError(f"No database alias {database!r} in DATABASES.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        since = parse_since(since) if isinstance(since, str) else since
        progress = Progress(self.stderr._out, enabled=not no_progress and options.get("verbosity", 1) > 0)
        adoption = Adoption(database, since=since, batch_size=batch_size, dry_run=dry_run, progress=progress,
                            batch_hook=options.get("batch_hook"))
        reports = adoption.run()
        self.stdout.write(render(reports, dry_run=dry_run))

"""Running the adoption: every table in order, batch by batch, each batch and its checkpoint in one transaction.

A batch commits with the checkpoint that names its last key, so an interrupted run loses at
most the batch it was writing, and the next run (same ``--since``) goes on from there. Tables
finished before the interruption are not read again. A run that finishes deletes its
checkpoints. ``dry_run`` does everything inside one transaction and rolls it back, so the
counts are those a real run would report and nothing stays written.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connections, router, transaction

from .context import AdoptionContext
from .models import AdoptionCheckpoint
from .report import Progress, TableReport
from .source import LmsSource
from .table import Ignored, Table
from .tables_courses import course_tables
from .tables_people import people_tables
from .tables_records import record_tables
from .values import Unmappable
from .writer import _key_value, upsert


class _DryRunDone(Exception):
    """Leaves the dry run's transaction, rolling it back."""


def all_tables() -> list[Table]:
    """The steps in the order their references need: users, courses, then what names them."""
    people = people_tables()
    courses = course_tables()
    return [*people[:3], *courses[:4], *record_tables(), courses[4], people[3], courses[5], people[4]]


def shares_user_table(alias: str) -> bool:
    """Whether ``alias`` is the database this app's users live in (the app runs inside the LMS)."""
    ours = router.db_for_write(get_user_model())
    if alias == ours:
        return True
    mine, theirs = connections[ours].settings_dict, connections[alias].settings_dict
    return all(mine.get(name) == theirs.get(name) for name in ("ENGINE", "NAME", "HOST", "PORT"))


def _encode_key(key) -> str:
    return f"i:{key}" if isinstance(key, int) else f"s:{key}"


def _decode_key(stored: str):
    if not stored:
        return None
    kind, _, value = stored.partition(":")
    return int(value) if kind == "i" else value


class Adoption:
    """One run of the adoption from the LMS database behind ``alias``."""

    def __init__(self, alias: str, *, since: datetime.datetime | None = None, batch_size: int = 1000,
                 dry_run: bool = False, progress: Progress | None = None, tables: list[Table] | None = None,
                 batch_hook: Callable | None = None):
        self.source = LmsSource(alias)
        self.context = AdoptionContext(self.source, shared_users=shares_user_table(alias))
        self.since = since
        self.since_text = since.isoformat() if since else ""
        self.batch_size = batch_size
        self.dry_run = dry_run
        self.progress = progress or Progress(None, enabled=False)
        self.tables = tables if tables is not None else all_tables()
        self.batch_hook = batch_hook
        self.reports: list[TableReport] = []

    def run(self) -> list[TableReport]:
        if not self.dry_run:
            self._run_tables()
            AdoptionCheckpoint.objects.filter(source=self.source.label).delete()
            return self.reports
        try:
            with transaction.atomic():
                self._run_tables()
                raise _DryRunDone
        except _DryRunDone:
            pass
        return self.reports

    def _run_tables(self) -> None:
        for table in self.tables:
            report = TableReport(table.name)
            self.reports.append(report)
            report.skipped = self._skip_reason(table) or ""
            if not report.skipped:
                self._adopt(table, report)
            self.progress.finish(report)

    def _skip_reason(self, table: Table) -> str | None:
        reason = table.skip(self.context)
        if reason:
            return reason
        if not self.source.has_table(table.name):
            return "the LMS has no such table"
        with self.source.connection.cursor() as cursor:
            present = {column.name for column in
                       self.source.connection.introspection.get_table_description(cursor, table.name)}
        missing = [column for column in table.query.columns if "." not in column and column not in present]
        return f"columns missing: {', '.join(missing)}" if missing else None

    def _checkpoint(self, table: Table) -> AdoptionCheckpoint:
        checkpoint, _ = AdoptionCheckpoint.objects.get_or_create(source=self.source.label, table=table.name,
                                                                 defaults={"since": self.since_text})
        if checkpoint.since != self.since_text:
            checkpoint.since, checkpoint.last_key, checkpoint.finished = self.since_text, "", False
            checkpoint.save()
        return checkpoint

    def _adopt(self, table: Table, report: TableReport) -> None:
        checkpoint = self._checkpoint(table)
        if checkpoint.finished:
            report.skipped = "finished by the interrupted run this one resumes"
            return
        after = _decode_key(checkpoint.last_key)
        total = self.source.count(table.query, after=after, since=self.since)
        self.progress.start(table.name)
        started = time.perf_counter()
        for number, rows in enumerate(self.source.batches(table.query, after=after, since=self.since,
                                                          size=self.batch_size)):
            with transaction.atomic():
                self._write_batch(table, rows, report)
                checkpoint.last_key = _encode_key(rows[-1]["_key"])[:255]
                checkpoint.save(update_fields=["last_key", "modified"])
                if self.batch_hook is not None:
                    self.batch_hook(table.name, number)
            report.seconds = time.perf_counter() - started
            self.progress.advance(table.name, report.read, total)
        checkpoint.finished = True
        checkpoint.save(update_fields=["finished", "modified"])
        report.seconds = time.perf_counter() - started

    def _write_batch(self, table: Table, rows: list[dict], report: TableReport) -> None:
        report.read += len(rows)
        prepared = table.prepare(rows, self.context)
        mapped = {}
        for row in rows:
            try:
                item = table.map_row(row, prepared, self.context)
            except Ignored as reason:
                report.ignored[str(reason)] += 1
                continue
            except Unmappable as reason:
                report.not_mapped(row["_key"], str(reason))
                continue
            key = tuple(str(_key_value(value)) for value in item.key)
            if key in mapped:
                report.ignored["the same row as an earlier one of the batch"] += 1
            mapped[key] = item
        written = upsert(table.model, table.key_fields, list(mapped.values()), keep_dates=table.keep_dates,
                         touch=table.touch, merge=table.merge, batch_size=self.batch_size)
        report.created += written.created
        report.updated += written.updated
        report.unchanged += written.unchanged

"""Counts per table, the rows that could not be mapped (with why), and the progress line on stderr."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

# Examples kept per table of rows that could not be mapped; the counts per reason are complete.
EXAMPLES = 20


@dataclass
class TableReport:
    """What one table's step did. ``skipped`` says why a table was left out (absent from the LMS...)."""

    table: str
    skipped: str = ""
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    ignored: Counter = field(default_factory=Counter)
    unmapped: Counter = field(default_factory=Counter)
    examples: list = field(default_factory=list)

    def not_mapped(self, key, reason: str) -> None:
        self.unmapped[_reason_kind(reason)] += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append((key, reason))

    @property
    def changes(self) -> int:
        return self.created + self.updated

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        if self.skipped:
            return f"{self.table}: skipped ({self.skipped})"
        return (f"{self.table}: {self.read} read, {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged, {sum(self.ignored.values())} ignored, "
                f"{sum(self.unmapped.values())} not mapped ({self.rate:.0f} rows/s)")


def _reason_kind(reason: str) -> str:
    """The reason without the row's own value: ``unknown user 42`` counts as ``unknown user``."""
    for kind in ("unknown user", "unparseable course key", "unparseable block key", "course not adopted or imported",
                 "unknown certificate status", "badge class", "enrollment", "username"):
        if reason.startswith(kind):
            return kind
    return reason


def render(reports: list[TableReport], *, dry_run: bool) -> str:
    lines = [report.line() for report in reports]
    total_read = sum(report.read for report in reports)
    total_seconds = sum(report.seconds for report in reports)
    rate = total_read / total_seconds if total_seconds else 0.0
    lines.append(f"total: {total_read} rows read, {sum(r.changes for r in reports)} changed "
                 f"in {total_seconds:.1f} s ({rate:.0f} rows/s)" + (" (dry run: nothing written)" if dry_run else ""))
    for report in reports:
        for reason, count in sorted(report.ignored.items()):
            lines.append(f"  ignored in {report.table}: {count} x {reason}")
        for reason, count in sorted(report.unmapped.items()):
            lines.append(f"  not mapped in {report.table}: {count} x {reason}")
        for key, reason in report.examples:
            lines.append(f"    {report.table} row {key}: {reason}")
    return "\n".join(lines)


class Progress:
    """A one-line progress bar per table on a terminal; one summary line per table otherwise."""

    def __init__(self, stream, enabled: bool = True):
        self.stream = stream
        self.enabled = enabled
        self.live = enabled and getattr(stream, "isatty", lambda: False)()
        self.started = time.perf_counter()

    def start(self, table: str) -> None:
        self.started = time.perf_counter()

    def advance(self, table: str, done: int, total: int) -> None:
        if not self.live:
            return
        width = 30
        filled = int(width * done / total) if total else width
        rate = done / max(time.perf_counter() - self.started, 1e-9)
        self.stream.write(f"\r{table[:36]:36} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
                          f"{rate:.0f} rows/s")
        self.stream.flush()

    def finish(self, report: TableReport) -> None:
        if self.enabled:
            self.stream.write(("\r" if self.live else "") + report.line() + "\n")
            self.stream.flush()

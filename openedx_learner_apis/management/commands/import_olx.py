"""``manage.py import_olx PATH``: import an Open edX course export (.tar.gz or directory).

A large course takes a while to read and to write, so the command shows how far it got, per
phase, on stderr: redrawn in place on a terminal, and as plain lines (every tenth of a phase)
with ``--progress`` where stderr is a log file or a pipe, so CI and cron logs stay readable.
stdout carries only the summary line, for scripts. ``--verbosity 0`` prints nothing but errors.
"""

from __future__ import annotations

import argparse
import textwrap
import time
from dataclasses import replace

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter

from ...applets.courses.api import get_outline
from ...olx.course import OlxImportError
from ...olx.importer import import_olx
from ...olx.limits import DEFAULT_LIMITS

PHASES = {"read": "Reading the export", "insert": "Storing new blocks", "update": "Placing blocks in the outline"}
# While the total is not known yet (reading), a terminal line is redrawn every REDRAW_EVERY
# blocks and a plain line written every READ_LINE_EVERY blocks.
REDRAW_EVERY = 100
READ_LINE_EVERY = 1000

EXAMPLES = f"""examples:
  python manage.py import_olx course.tar.gz
  python manage.py import_olx exports/DemoX/ --progress 2> import.log
  python manage.py import_olx huge-course.tar.gz --max-blocks 200000

The export is read whole and checked before anything is written; a refused export changes
nothing. Importing the same course again updates it in place: blocks the export no longer
has are removed. Default bounds: {DEFAULT_LIMITS.max_blocks:,} blocks, \
{DEFAULT_LIMITS.max_total_bytes // 2 ** 20} MiB of XML, JSON and HTML."""


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Django's ordering of the options, with the examples kept as written."""


class ProgressDisplay:
    """Shows ``progress(phase, done, total)`` calls through ``write`` (text, written as given).

    ``redraw``: one line rewritten in place (a terminal). Otherwise one line when a phase
    ends and at each tenth of it, or every ``READ_LINE_EVERY`` blocks while the total is not
    known, so a log gets a handful of lines even for a course of 50,000 blocks.
    """

    def __init__(self, write, *, redraw: bool):
        self.write = write
        self.redraw = redraw
        self.phase: str | None = None
        self.thousands = self.tenths = 0  # what the last plain line of this phase showed
        self.width = 0

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        if phase != self.phase:
            self.end_line()
            self.phase, self.thousands, self.tenths = phase, 0, -1
        counted = f"{done:,}/{total:,} blocks ({done * 100 // total if total else 100}%)" if total is not None \
            else f"{done:,} blocks"
        text = f"{PHASES.get(phase, phase)}: {counted}"
        if self.redraw:
            if total is not None or done % REDRAW_EVERY == 0:
                self.write("\r" + text.ljust(self.width))
                self.width = len(text)
        elif total is None:
            if done // READ_LINE_EVERY > self.thousands:
                self.thousands = done // READ_LINE_EVERY
                self.write(text + "\n")
        elif (tenth := 10 if not total or done >= total else 10 * done // total) > self.tenths:
            self.tenths = tenth
            self.write(text + "\n")

    def end_line(self) -> None:
        """Ends a redrawn line, so that what follows starts on a line of its own."""
        if self.redraw and self.width:
            self.write("\n")
            self.width = 0


class Command(BaseCommand):
    help = ("Import an Open edX course export (OLX) into the course overview and outline tables: the course "
            "settings, every block of the outline and the handouts and updates pages. Prints the course key "
            "and the block counts.")

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.formatter_class = HelpFormatter
        parser.description = textwrap.fill(self.help, 79)
        parser.epilog = EXAMPLES
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "source", metavar="PATH",
            help="The course export: a .tar.gz, .tgz or .tar archive as Studio exports it, or a directory "
                 "holding course.xml (or its parent folder).")
        shown = parser.add_mutually_exclusive_group()
        shown.add_argument(
            "--progress", action="store_true", dest="progress", default=None,
            help="Show progress on stderr even when it is not a terminal (a log file, a pipe, CI), as a "
                 "line per tenth of each phase. On a terminal progress is shown without this option.")
        shown.add_argument(
            "--no-progress", action="store_false", dest="progress",
            help="Show no progress, even on a terminal.")
        parser.add_argument(
            "--max-blocks", type=int, default=DEFAULT_LIMITS.max_blocks, metavar="N",
            help=f"Refuse an export with more than N blocks (default {DEFAULT_LIMITS.max_blocks:,}); raise it "
                 "for a course larger than that.")

    def handle(self, source, progress, max_blocks, **options):
        if max_blocks < 1:
            raise CommandError("--max-blocks must be a positive number of blocks.")
        verbosity = options["verbosity"]
        on_terminal = _isatty(self.stderr)
        show = verbosity > 0 and (on_terminal if progress is None else progress)
        display = ProgressDisplay(self.write_stderr, redraw=on_terminal) if show else None
        started = time.perf_counter()
        try:
            course_key = import_olx(source, limits=replace(DEFAULT_LIMITS, max_blocks=max_blocks), progress=display)
        except (OlxImportError, OSError) as exc:
            raise CommandError(f"Could not import {source}: {exc}") from exc
        finally:
            if display is not None:
                display.end_line()
        if verbosity == 0:
            return
        outline = get_outline(course_key)
        counts = {kind: len(outline.of_type(kind)) for kind in ("chapter", "sequential", "vertical")}
        self.stdout.write(f"Imported {course_key}: {len(outline)} blocks {counts} "
                          f"in {time.perf_counter() - started:.2f}s")


    def write_stderr(self, text: str) -> None:
        """``text`` on stderr as it is: no added line end, no error colour, flushed at once."""
        self.stderr.write(text, style_func=str, ending="")
        self.stderr.flush()


def _isatty(stream) -> bool:
    """Whether a command's output stream (Django's ``OutputWrapper`` or a plain file) is a terminal."""
    target = getattr(stream, "_out", stream)
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty())

"""``manage.py import_olx PATH``: import an Open edX course export (.tar.gz or directory)."""

import time

from django.core.management.base import BaseCommand, CommandError

from ...applets.courses.api import get_outline
from ...olx.course import OlxImportError
from ...olx.importer import import_olx


class Command(BaseCommand):
    help = "Import an OLX course export into the course overview and outline tables."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A .tar.gz export or a course directory.")

    def handle(self, source, **options):
        started = time.perf_counter()
        try:
            course_key = import_olx(source)
        except (OlxImportError, OSError) as exc:
            raise CommandError(f"Could not import {source}: {exc}") from exc
        outline = get_outline(course_key)
        counts = {kind: len(outline.of_type(kind)) for kind in ("chapter", "sequential", "vertical")}
        self.stdout.write(f"Imported {course_key}: {len(outline)} blocks {counts} "
                          f"in {time.perf_counter() - started:.2f}s")

"""``manage.py import_olx``: its help, its progress display on stderr, its bounds, run as an operator would."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openedx_learner_apis.applets.courses import api as courses_api
from openedx_learner_apis.applets.courses.models import Block, Course
from openedx_learner_apis.management.commands import import_olx as import_olx_command
from openedx_learner_apis.management.commands.import_olx import Command, ProgressDisplay
from openedx_learner_apis.olx.importer import import_olx

KEY = "course-v1:BigX+Units+2026"
UNITS = 110
BLOCKS = 3 + 2 * UNITS  # the course, a chapter, a sequence, and a unit with one html block each


class Terminal(StringIO):
    """A stream that says it is a terminal."""

    def isatty(self):
        return True


@pytest.fixture(autouse=True)
def small_steps(monkeypatch):
    """Batches of 50 blocks and a read line every 100, so a course of 223 blocks shows every step quickly."""
    monkeypatch.setattr(courses_api, "WRITE_BATCH", 50)
    monkeypatch.setattr(import_olx_command, "READ_LINE_EVERY", 100)
    monkeypatch.setattr(import_olx_command, "REDRAW_EVERY", 10)


@pytest.fixture(scope="module")
def big_export(tmp_path_factory):
    """A directory export of one sequence holding ``UNITS`` units."""
    root = tmp_path_factory.mktemp("big-export")
    (root / "course.xml").write_text('<course url_name="2026" org="BigX" course="Units"/>')
    units = "".join(f'<vertical url_name="u{index}" display_name="Unit {index}">'
                    f'<html url_name="h{index}" display_name="Text {index}"/></vertical>' for index in range(UNITS))
    (root / "course").mkdir()
    (root / "course" / "2026.xml").write_text(
        '<course display_name="Many units"><chapter url_name="ch" display_name="Week 1">'
        f'<sequential url_name="seq" display_name="Lesson">{units}</sequential></chapter></course>')
    return str(root)


def run(*args, stderr=None, **options):
    out, err = StringIO(), stderr if stderr is not None else StringIO()
    call_command("import_olx", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def help_text() -> str:
    return Command().create_parser("manage.py", "import_olx").format_help()


def test_help_explains_the_command_every_argument_and_gives_examples():
    text = " ".join(help_text().split())
    assert "Import an Open edX course export (OLX)" in text
    for expected in ("PATH", "a .tar.gz, .tgz or .tar archive", "--progress", "even when it is not a terminal",
                     "--no-progress", "--max-blocks N", "default 50,000",
                     "python manage.py import_olx course.tar.gz",
                     "python manage.py import_olx exports/DemoX/ --progress 2> import.log",
                     "a refused export changes nothing"):
        assert expected in text, expected


def test_every_argument_of_the_command_has_help():
    parser = Command().create_parser("manage.py", "import_olx")
    assert all(action.help for action in parser._actions)


@pytest.mark.django_db
def test_progress_lines_per_phase_with_the_progress_option(big_export):
    out, err = run(big_export, progress=True)
    assert err.splitlines() == [
        "Reading the export: 100 blocks",
        "Reading the export: 200 blocks",
        "Reading the export: 223/223 blocks (100%)",
        "Storing new blocks: 50/223 blocks (22%)",
        "Storing new blocks: 100/223 blocks (44%)",
        "Storing new blocks: 150/223 blocks (67%)",
        "Storing new blocks: 200/223 blocks (89%)",
        "Storing new blocks: 223/223 blocks (100%)",
        "Placing blocks in the outline: 50/223 blocks (22%)",
        "Placing blocks in the outline: 100/223 blocks (44%)",
        "Placing blocks in the outline: 150/223 blocks (67%)",
        "Placing blocks in the outline: 200/223 blocks (89%)",
        "Placing blocks in the outline: 223/223 blocks (100%)",
    ]
    assert out.startswith(f"Imported {KEY}: {BLOCKS} blocks {{'chapter': 1, 'sequential': 1, 'vertical': {UNITS}}}")
    assert Block.objects.filter(course__course_key=KEY).count() == BLOCKS


@pytest.mark.django_db
def test_a_reimport_stores_no_new_blocks_and_says_so(big_export):
    run(big_export)
    _, err = run(big_export, progress=True)
    assert [line.split(":")[0] for line in err.splitlines()] == ["Reading the export"] * 3 + [
        "Placing blocks in the outline"] * 5


@pytest.mark.django_db
def test_a_terminal_gets_one_line_per_phase_redrawn_in_place(big_export):
    _, err = run(big_export, stderr=Terminal())
    lines = err.split("\n")
    assert len(lines) == 4 and lines[-1] == ""
    assert lines[0].startswith("\rReading the export: 10 blocks")
    assert lines[0].count("\r") == 220 // 10 + 1
    assert lines[0].rstrip().endswith("\rReading the export: 223/223 blocks (100%)")
    assert lines[1].count("\r") == 5
    assert lines[1].rstrip().endswith("\rStoring new blocks: 223/223 blocks (100%)")
    assert lines[2].rstrip().endswith("\rPlacing blocks in the outline: 223/223 blocks (100%)")
    assert "\x1b" not in err  # no error colouring of progress text


@pytest.mark.django_db
def test_no_progress_where_stderr_is_not_a_terminal_unless_asked(big_export):
    out, err = run(big_export)
    assert err == ""
    assert out.startswith(f"Imported {KEY}")


@pytest.mark.django_db
def test_no_progress_option_silences_a_terminal(big_export):
    _, err = run(big_export, stderr=Terminal(), progress=False)
    assert err == ""


@pytest.mark.django_db
@pytest.mark.parametrize("stderr", [StringIO, Terminal])
def test_verbosity_0_prints_nothing(big_export, stderr):
    assert run(big_export, stderr=stderr(), progress=True, verbosity=0) == ("", "")
    assert Course.objects.filter(course_key=KEY).exists()


@pytest.mark.django_db
def test_max_blocks_refuses_a_larger_course_and_writes_nothing(big_export):
    with pytest.raises(CommandError, match="more than 222 blocks"):
        run(big_export, max_blocks=BLOCKS - 1)
    assert not Course.objects.filter(course_key=KEY).exists()


@pytest.mark.django_db
def test_max_blocks_of_exactly_the_course_size_accepts_it(big_export):
    out, _ = run(big_export, "--max-blocks", str(BLOCKS))
    assert out.startswith(f"Imported {KEY}")


def test_max_blocks_must_be_positive(big_export):
    with pytest.raises(CommandError, match="--max-blocks must be a positive number"):
        run(big_export, max_blocks=0)


@pytest.mark.django_db
def test_a_refused_export_ends_the_progress_line_before_the_error(tmp_path):
    (tmp_path / "course.xml").write_text("<course/>")
    err = Terminal()
    with pytest.raises(CommandError, match="Could not import"):
        run(str(tmp_path), stderr=err)
    assert err.getvalue() == ""


# As functions.

@pytest.mark.django_db
def test_import_olx_reports_each_phase_to_its_progress_callback(big_export):
    calls = []
    import_olx(big_export, progress=lambda *call: calls.append(call))
    reads = [call for call in calls if call[0] == "read"]
    assert reads[:2] == [("read", 1, None), ("read", 2, None)]
    assert reads[-2:] == [("read", BLOCKS, None), ("read", BLOCKS, BLOCKS)]
    assert [call for call in calls if call[0] != "read"] == [
        *(("insert", done, BLOCKS) for done in (50, 100, 150, 200, BLOCKS)),
        *(("update", done, BLOCKS) for done in (50, 100, 150, 200, BLOCKS)),
    ]


def test_plain_display_writes_tenths_and_thousands():
    written = []
    display = ProgressDisplay(written.append, redraw=False)
    for done in range(1, 250):
        display("read", done, None)
    display("read", 249, 249)
    for done in (1, 2, 3, 50, 51, 99, 100):
        display("update", done, 100)
    display.end_line()
    assert written == ["Reading the export: 100 blocks\n", "Reading the export: 200 blocks\n",
                       "Reading the export: 249/249 blocks (100%)\n",
                       "Placing blocks in the outline: 1/100 blocks (1%)\n",
                       "Placing blocks in the outline: 50/100 blocks (50%)\n",
                       "Placing blocks in the outline: 99/100 blocks (99%)\n",
                       "Placing blocks in the outline: 100/100 blocks (100%)\n"]


def test_redrawn_display_pads_over_a_longer_line_and_ends_it():
    written = []
    display = ProgressDisplay(written.append, redraw=True)
    display("insert", 1000, 1000)
    display("update", 1, 1)
    display.end_line()
    display.end_line()
    assert written == ["\rStoring new blocks: 1,000/1,000 blocks (100%)", "\n",
                       "\rPlacing blocks in the outline: 1/1 blocks (100%)", "\n"]

"""load_demo_data and import_olx, run as an operator would."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from openedx_learner_apis.applets.badges.models import BadgeAssertion
from openedx_learner_apis.applets.certificates.models import Certificate
from openedx_learner_apis.applets.courses.models import Block, Course
from openedx_learner_apis.applets.enrollments.models import Enrollment

DEMO_OLX = str(Path(__file__).resolve().parents[1] / "example" / "data" / "demo-course-olx.tar.gz")

pytestmark = pytest.mark.django_db


def counts():
    return (Course.objects.count(), Block.objects.count(), Enrollment.objects.count(),
            Certificate.objects.count(), BadgeAssertion.objects.count())


def test_load_demo_data_is_idempotent():
    call_command("load_demo_data", olx=[DEMO_OLX], stdout=StringIO())
    first = counts()
    call_command("load_demo_data", olx=[DEMO_OLX], stdout=StringIO())
    assert counts() == first
    assert first[0] == 5 and first[2] >= 5 and first[3] == 1 and first[4] == 2


def test_load_demo_data_names_a_missing_archive():
    with pytest.raises(CommandError, match="does not exist"):
        call_command("load_demo_data", olx=["/nonexistent.tar.gz"], stdout=StringIO())


def test_import_olx_command_reports_counts():
    out = StringIO()
    call_command("import_olx", DEMO_OLX, stdout=out)
    assert "course-v1:OpenedX+DemoX+DemoCourse: 401 blocks" in out.getvalue()


def test_import_olx_command_fails_clearly(tmp_path):
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"not a tarball")
    with pytest.raises(CommandError, match="Could not import"):
        call_command("import_olx", str(bad), stdout=StringIO())


def test_demo_curl_prints_commands_with_tokens():
    call_command("load_demo_data", olx=[DEMO_OLX], stdout=StringIO())
    out = StringIO()
    call_command("demo_curl", stdout=out)
    assert "Authorization: JWT ey" in out.getvalue()

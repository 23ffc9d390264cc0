"""README's "Any Django project" lines make a working host out of a blank ``startproject``.

The fenced blocks of that README section are parsed and appended as they are, so the README
and this test cannot drift: migrate, a user, ``mint_jwt``, ``import_olx`` of the demo course
export (standing for the README's ``course.tar.gz``), then one GET per family with
``Authorization: JWT <token>`` through Django's test client in ``manage.py shell``. ``check``
reports no issue at all on that host (every warning there would be a line the README misses),
and ``check --deploy`` none of the app's (Django's own deployment warnings are the host's).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
COURSE_EXPORT = README.parent / "example" / "data" / "demo-course-olx.tar.gz"

SHELL = """
from django.test import Client
token = open("token.txt").read().strip()
client = Client(HTTP_AUTHORIZATION=token, HTTP_HOST="localhost")
for url in ["/api/user/v1/accounts/alice", "/api/badges/v1/assertions/user/alice/",
            "/api/certificates/v0/certificates/alice/", "/api/mobile/v1/users/alice",
            "/api/mobile/v4/users/alice/course_enrollments/",
            "/api/courseware/course/course-v1:OpenedX+DemoX+DemoCourse"]:
    response = client.get(url)
    print(url, response.status_code)
"""


def readme_blocks() -> dict[str, list[str]]:
    """The fenced blocks of the README section, keyed by their target (``settings.py``, ``urls.py``, ``sh``)."""
    text = README.read_text()
    section = text[text.index("* **Any Django project**"):text.index("## Other commands")]
    blocks: dict[str, list[str]] = {}
    for info, body in re.findall(r"^```(\w[^\n]*)\n(.*?)^```", section, flags=re.S | re.M):
        key = info.split()[-1]
        blocks.setdefault(key, []).append(body)
    return blocks


def run(args, cwd, **kwargs):
    env = {key: value for key, value in os.environ.items() if key not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    env["DJANGO_SUPERUSER_PASSWORD"] = "quickstart-password"
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False, env=env,
                          **kwargs)


def test_readme_quickstart_builds_a_working_host(tmp_path):
    blocks = readme_blocks()
    assert set(blocks) == {"settings.py", "urls.py", "sh"}
    python = sys.executable
    assert run([python, "-m", "django", "startproject", "host", "."], tmp_path).returncode == 0
    for name in ("settings.py", "urls.py"):
        with open(tmp_path / "host" / name, "a") as target:
            target.write("\n" + "\n".join(blocks[name]))
    commands = [line.split("#")[0].split() for line in blocks["sh"][0].splitlines() if line.strip()]
    outputs = []
    for command in commands:
        assert command[:2] == ["python", "manage.py"]
        extra = ["--noinput"] if command[2] == "createsuperuser" else []
        if command[2] == "import_olx":
            command = [*command[:3], str(COURSE_EXPORT), *command[4:]]
        result = run([python, *command[1:], *extra], tmp_path)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    token = next(line for output in outputs for line in output.splitlines() if line.startswith("JWT "))
    assert token.startswith("JWT ")
    (tmp_path / "token.txt").write_text(token)
    check = run([python, "manage.py", "check"], tmp_path)
    assert check.returncode == 0, check.stderr
    assert check.stdout.strip() == "System check identified no issues (0 silenced).", check.stdout + check.stderr
    assert check.stderr == "", check.stderr
    deploy = run([python, "manage.py", "check", "--deploy"], tmp_path)  # Django 6.1 fails it on mail.E001
    assert "System check identified" in deploy.stdout + deploy.stderr, deploy.stdout + deploy.stderr
    assert "openedx_learner_apis." not in deploy.stdout + deploy.stderr, deploy.stdout + deploy.stderr
    assert "OPENEDX_TELEMETRY" not in check.stdout + check.stderr + deploy.stdout + deploy.stderr
    shell = run([python, "manage.py", "shell", "-c", SHELL], tmp_path)
    assert shell.returncode == 0, shell.stderr
    assert "OPENEDX_TELEMETRY" not in shell.stdout + shell.stderr
    statuses = dict(line.rsplit(" ", 1) for line in shell.stdout.splitlines() if line.startswith("/"))
    assert statuses == {url: "200" for url in statuses} and len(statuses) == 6, shell.stdout

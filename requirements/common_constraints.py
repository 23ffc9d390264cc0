"""Write requirements/common_constraints.txt: the version limits every Open edX repository shares.

Open edX keeps them in edx-lint's repository and each repository compiles its requirements
against a fresh copy, so a limit set there (an LTS Django, a pip that pip-tools works with)
reaches this one at its next ``make upgrade``. Where that repository cannot be reached, the same
file is read from edx-lint's newest release on PyPI, which ships it. The copy's first line says
which source it came from.
"""

import glob
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from pathlib import Path

URL = "https://raw.githubusercontent.com/edx/edx-lint/master/edx_lint/files/common_constraints.txt"
MEMBER = "edx_lint/files/common_constraints.txt"
TARGET = Path(__file__).with_name("common_constraints.txt")


def from_repository():
    with urllib.request.urlopen(URL, timeout=30) as response:  # noqa: S310  (a constant https URL)
        return f"# From {URL} (make upgrade).\n", response.read().decode()


def from_release():
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                        "--dest", folder, "edx-lint"], check=True)
        (wheel,) = glob.glob(f"{folder}/edx_lint-*.whl")
        version = Path(wheel).name.split("-")[1]
        return (f"# From {MEMBER} of edx-lint {version} on PyPI (make upgrade; {URL} was out of reach).\n",
                zipfile.ZipFile(wheel).read(MEMBER).decode())


def main():
    try:
        origin, text = from_repository()
    except OSError as exc:
        print(f"common_constraints: {URL}: {exc}; reading edx-lint's release instead", file=sys.stderr)
        origin, text = from_release()
    TARGET.write_text(origin + text)


if __name__ == "__main__":
    main()

"""The real Open edX course exports (OLX) the tests import, as paths inside the repository."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEMO_OLX = REPO_ROOT / "example" / "data" / "demo-course-olx.tar.gz"
DHIS2_OLX = REPO_ROOT / "tests" / "data" / "dhis2-fundamentals-olx.tar.gz"

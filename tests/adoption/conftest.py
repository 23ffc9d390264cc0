"""An LMS database next to the suite's: its own database (``<test database>_lms_adopt``) under the alias ``lms``.

The LMS tables are built and filled once per module and only read by the tests, which write
into the suite's database as usual (rolled back after each test). On SQLite the LMS database
is a file; on PostgreSQL and MariaDB it is created and dropped beside the test database.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.db import connections

from . import lms_data, lms_schema

ALIAS = "lms"
# The course of the demo export (tests/course_exports.py): the LMS knows it, the endpoint tests import its outline.
DEMO_COURSE = "course-v1:OpenedX+DemoX+DemoCourse"


def _create_database(name: str) -> None:
    connection = connections["default"]
    quoted = connection.ops.quote_name(name)
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quoted}")
        suffix = " CHARACTER SET utf8mb4" if connection.vendor == "mysql" else ""
        cursor.execute(f"CREATE DATABASE {quoted}{suffix}")


def _drop_database(name: str) -> None:
    connection = connections["default"]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def open_lms_database(alias: str = ALIAS) -> str | None:
    """Add ``alias`` for a fresh, empty LMS database; the server-side name to drop later (None for SQLite)."""
    default = connections["default"].settings_dict
    settings = {key: value for key, value in default.items() if key not in ("TEST", "NAME")}
    server_name = None
    if connections["default"].vendor == "sqlite":
        settings["NAME"] = str(Path(tempfile.mkdtemp(prefix="olapi-lms-")) / "lms_adopt.sqlite3")
    else:
        server_name = f"{default['NAME']}_lms_adopt"[:63]
        _create_database(server_name)
        settings["NAME"] = server_name
    configured = connections.configure_settings({"default": dict(default), alias: settings})
    connections.settings[alias] = configured[alias]
    return server_name


def close_lms_database(alias: str, server_name: str | None) -> None:
    connections[alias].close()
    del connections[alias]
    del connections.settings[alias]
    if server_name:
        _drop_database(server_name)


@pytest.fixture(scope="module")
def lms(django_db_setup, django_db_blocker):
    """The filled LMS database: ``lms["alias"]``, ``lms["usernames"]``, ``lms["user_ids"]``, ``lms["courses"]``."""
    with django_db_blocker.unblock():
        server_name = open_lms_database()
        try:
            lms_schema.create_tables(ALIAS)
            case_twins = connections["default"].vendor != "mysql"
            filled = lms_data.fill(ALIAS, case_twins=case_twins, extra_courses=(DEMO_COURSE,))
            yield {"alias": ALIAS, **filled}
        finally:
            close_lms_database(ALIAS, server_name)

"""What differs between SQLite, PostgreSQL and MariaDB, and the rules that hold on all three.

MariaDB's default collation (``utf8mb4_general_ci``) compares usernames without case, without
accents and without trailing spaces, and its unique index on ``auth_user.username`` follows it.
The specs ask for one rule everywhere: a URL username is resolved case-insensitively to one
user (``find_user``), and a username given to the Python API names exactly that user.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from openedx_learner_apis import api
from openedx_learner_apis.applets.courses.models import Block, Course
from openedx_learner_apis.core.users import find_user

from .services import unavailable

pytestmark = pytest.mark.django_db


@pytest.fixture
def mariadb():
    if connection.vendor != "mysql":
        unavailable("mariadb", f"this run uses {connection.vendor}; set DATABASE_URL=mysql://root@127.0.0.1:3306/test")
    return connection


class TestUsernamesOnEveryBackend:
    def test_url_usernames_resolve_case_insensitively(self, make_user):
        alice = make_user("alice")
        assert find_user("ALICE") == alice == find_user("Alice")

    def test_accents_and_trailing_spaces_do_not_match(self, make_user):
        make_user("José")
        make_user("alice")
        assert find_user("jose") is None
        assert find_user("alice ") is None

    def test_python_api_usernames_are_exact(self, make_user):
        make_user("alice")
        for other in ("Alice", "alice ", "ALICE"):
            with pytest.raises(api.UserNotFound):
                api.enroll(other, "course-v1:edX+Case+2026")
        api.upsert_course("course-v1:edX+Case+2026")
        assert api.enroll("alice", "course-v1:edX+Case+2026").user.username == "alice"

    def test_the_badges_route_finds_the_owner_whatever_the_case(self, make_user, session_client):
        alice = make_user("alice")
        client = session_client(alice)
        lower = client.get("/api/badges/v1/assertions/user/alice/")
        upper = client.get("/api/badges/v1/assertions/user/ALICE/")
        assert lower.status_code == upper.status_code == 200
        assert lower.json() == upper.json()


def test_every_migration_is_applied_and_none_is_missing():
    from django.core.management import call_command
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    call_command("makemigrations", "openedx_learner_apis", "--check", "--dry-run", verbosity=0)


class TestMariaDB:
    def test_server_version_and_connection(self, mariadb):
        assert mariadb.mysql_is_mariadb
        assert mariadb.mysql_version >= (10, 5)
        with mariadb.cursor() as cursor:
            cursor.execute("SELECT @@character_set_connection, @@tx_isolation")
            charset, isolation = cursor.fetchone()
        # utf8mb4 for 4-byte characters; READ COMMITTED is what the course cache's guarantee needs.
        assert (charset, isolation) == ("utf8mb4", "READ-COMMITTED")

    def test_usernames_differing_only_in_case_cannot_coexist(self, mariadb, make_user):
        make_user("alice")
        with pytest.raises(IntegrityError), transaction.atomic():
            make_user("Alice")
        with pytest.raises(IntegrityError), transaction.atomic():
            make_user("ALICE")

    def test_accent_variants_cannot_coexist_either(self, mariadb, make_user):
        make_user("jose")
        with pytest.raises(IntegrityError), transaction.atomic():
            make_user("José")

    def test_bulk_created_blocks_get_their_primary_keys(self, mariadb):
        # import_olx links parents to children by the ids bulk_create returns (RETURNING, MariaDB 10.5+).
        assert mariadb.features.can_return_rows_from_bulk_insert
        course = api.upsert_course("course-v1:edX+Bulk+2026")
        blocks = Block.objects.bulk_create(
            [Block(course=course, block_type="html", preorder=index,
                   usage_key=course.course_key.make_usage_key("html", f"b{index}")) for index in range(3)])
        assert all(block.pk for block in blocks)

    def test_four_byte_characters_round_trip(self, mariadb):
        api.upsert_course("course-v1:edX+Emoji+2026", display_name="Graduation 🎓 day")
        assert Course.objects.get().display_name == "Graduation 🎓 day"

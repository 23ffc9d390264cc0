"""The app's migration history: the unreleased changes after 0003 are one migration, reversible.

``0004_account_fields_positions_info_pages`` holds what three never-released development
migrations held (the learner account fields, the position's client date, the course info pages);
those are gone from the history. Going back to 0003 removes it all, and forward adds it again.
``0005_configuration_models`` follows it: the configuration tables become django-config-models
tables, with a data step that keeps their rows (``tests/test_migration_0005.py``), so a database
already on 0004 gets it too. ``0006_adoption_checkpoint`` adds the checkpoints of
``adopt_openedx_data``.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

APP = "openedx_learner_apis"
MERGED = (APP, "0004_account_fields_positions_info_pages")
CONFIGURATION_MODELS = (APP, "0005_configuration_models")
ADOPTION = (APP, "0006_adoption_checkpoint")
DEVELOPMENT = [(APP, "0004_learner_profile_account_fields"), (APP, "0005_courseware_position_modification_date"),
               (APP, "0006_course_info_pages")]

pytestmark = pytest.mark.django_db(transaction=True)


def columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


@pytest.fixture
def executor():
    """An executor whose database is back on the newest migration after the test."""
    yield MigrationExecutor(connection)
    latest = MigrationExecutor(connection)
    latest.migrate(latest.loader.graph.leaf_nodes())


def test_the_history_ends_with_the_merged_migration_after_0003(executor):
    assert executor.loader.graph.leaf_nodes(APP) == [ADOPTION]
    assert executor.loader.graph.nodes[ADOPTION].dependencies[0] == CONFIGURATION_MODELS
    assert executor.loader.graph.nodes[CONFIGURATION_MODELS].dependencies[0] == MERGED
    merged = executor.loader.graph.nodes[MERGED]
    assert merged.dependencies == [(APP, "0003_progress_recent_indexes")]
    assert not merged.replaces
    assert not any(key in executor.loader.disk_migrations for key in DEVELOPMENT)


def test_going_back_to_0003_and_forward_again(executor):
    executor.migrate([(APP, "0003_progress_recent_indexes")])
    assert "openedx_learner_apis_courseinfopage" not in connection.introspection.table_names()
    assert "bio" not in columns("openedx_learner_apis_learnerprofile")
    assert "modification_date" not in columns("openedx_learner_apis_coursewareposition")

    executor = MigrationExecutor(connection)
    executor.migrate([MERGED])
    assert "openedx_learner_apis_courseinfopage" in connection.introspection.table_names()
    assert {"bio", "country", "language_proficiencies", "level_of_education", "social_links"} <= columns(
        "openedx_learner_apis_learnerprofile")
    assert "modification_date" in columns("openedx_learner_apis_coursewareposition")


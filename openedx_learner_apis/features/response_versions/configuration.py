"""The version of the admin configuration tables a response reads, in one place so it can be re-pointed.

Today each table's cached snapshot has a generation token (``core.config_snapshots``); a
response version folds in the token of every snapshot. When the tables move to another
storage, only :func:`configuration_scopes` changes: it names the ``(generation cache, scope)``
pairs whose tokens change whenever a configuration row does. (Saves and deletes of the
tables also replace the shared token, see :mod:`.writes`.)
"""

from __future__ import annotations

from ...core.config_snapshots import SNAPSHOTS, snapshot_cache


def configuration_scopes() -> list[tuple]:
    """``(generation cache, scope)`` of every configuration table's version."""
    return [(snapshot_cache, name) for name in sorted(SNAPSHOTS)]

"""Reading django-config-models tables in as few queries as the old whole-table snapshots, and fresh after writes.

The configuration tables (``MobileConfig``, ``IgnoreMobileAvailableFlagConfig``,
``CourseDurationLimitConfig``) are config_models ``ConfigurationModel`` subclasses: every change
adds a row, the latest row of a key is the current one, and config_models caches what it reads
in its ``TieredCache`` (the request cache, then Django's cache). A table without keys is read
with its own ``current()`` / ``is_enabled()``.

A keyed table whose every key a request needs (all mobile configs; the scopes of a list of
courses) is read with :func:`current_rows`: it uses config_models' own cache entries, the
list of keys (``key_values_cache_key_name()``) and each key's current row
(``cache_key_name(*key)``), two cache round trips and no query when warm. When any is missing
it reads the latest row of every key in one query (``current_set()``) and stores them under
those same names, so a keyed table costs one query when the cache is cold, like a table
without keys.

A reader that read the shared generation token (:mod:`.versions`, which every write of a
configuration table replaces at once and on commit) passes it as ``shared_token``: the rows are
then kept in this process under that token, loaded from the database (never from config_models'
cache, whose entries a slow reader may put back after a commit) when the token is new. No cache
round trip and no query while the token stays the same.

Freshness: ``ConfigurationModel.save()`` deletes the row's entry and the list of keys, so the
next read in any process sharing the cache reads the database. A save inside a transaction
deletes them before the commit, and a reader elsewhere could then store the old row again until
the commit; :func:`forget_current_rows_on_commit` deletes them once more when the transaction
commits. After raw SQL or a bulk ``update()`` (which config_models does not see), call
:func:`forget_current_rows`. Entries expire after the model's ``cache_timeout`` (600 s).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from edx_django_utils.cache import TieredCache

from .cache import ProcessMemo
from .versions import invalidate_shared_data

__all__ = ["SafeCacheKeys", "current_rows", "forget_current_rows", "forget_current_rows_on_commit", "key_of"]

_MAX_READABLE_KEY = 200
# ``{key: current row}`` of each table, kept under the shared token read before loading them.
_rows_memo = ProcessMemo(size=64, timeout=600)  # config_models' own entries live 600 s


class SafeCacheKeys:
    """A keyed ``ConfigurationModel`` whose cache entry names every cache backend accepts.

    config_models names a key's entry after its values (``configuration/MobileConfig/current/<name>``):
    a name with a space, or a long course key, makes a name memcached refuses. Such a name is
    replaced by a digest of it; others stay readable. ``save()`` and the readers both call
    ``cache_key_name()``, so they agree.
    """

    @classmethod
    def cache_key_name(cls, *args):
        name = super().cache_key_name(*args)
        if len(name) <= _MAX_READABLE_KEY and all(33 <= ord(char) < 127 for char in name):
            return name
        return f"configuration/{cls.__name__}/current/sha256:{hashlib.sha256(name.encode()).hexdigest()}"


def key_of(row) -> tuple:
    """The values of ``row``'s ``KEY_FIELDS``, as config_models names its cache entry with them."""
    return tuple(getattr(row, name) for name in row.KEY_FIELDS)


def current_rows(model, wanted: Callable[[tuple], bool] | None = None, *,
                 shared_token: str | None = None) -> dict[tuple, object]:
    """``{key: current row}`` of a keyed ``ConfigurationModel``, for every key or the keys ``wanted`` accepts.

    No query when config_models' cache holds the keys and those rows; otherwise one. With
    ``shared_token`` (read before this call), no cache round trip either when this process
    already holds the rows under that token. The rows are shared: treat them as read-only.
    """
    if shared_token is not None:
        memo_key = (model._meta.label_lower, shared_token)
        rows = _rows_memo.get(memo_key)
        if rows is None:
            rows = {key_of(row): row for row in model.objects.current_set().order_by("pk")}
            _rows_memo.put(memo_key, rows)
        return {key: row for key, row in rows.items() if wanted is None or wanted(key)}
    listed = TieredCache.get_cached_response(model.key_values_cache_key_name())
    if listed.is_found and listed.value is not None:
        keys = [tuple(key) for key in listed.value]
        names = {model.cache_key_name(*key): key for key in keys if wanted is None or wanted(key)}
        found = cache.get_many(list(names)) if names else {}
        if len(found) == len(names) and all(row is not None for row in found.values()):
            return {names[name]: row for name, row in found.items()}
    rows = {key_of(row): row for row in model.objects.current_set().order_by("pk")}
    # The same values config_models stores: the distinct keys, and each key's latest row.
    cache.set_many({model.cache_key_name(*key): row for key, row in rows.items()}, model.cache_timeout)
    TieredCache.set_all_tiers(model.key_values_cache_key_name(), list(rows), model.cache_timeout)
    return {key: row for key, row in rows.items() if wanted is None or wanted(key)}


def forget_current_rows(model, row=None) -> None:
    """Delete config_models' cached entries of ``model`` (of ``row``'s key, or of the table without keys).

    Response versions read configuration through the shared token, so it is replaced too: a bulk
    write followed by this call leaves no cached response built on the old rows.
    """
    invalidate_shared_data()
    if model.KEY_FIELDS:
        TieredCache.delete_all_tiers(model.key_values_cache_key_name())
        if row is not None:
            TieredCache.delete_all_tiers(model.cache_key_name(*key_of(row)))
    else:
        TieredCache.delete_all_tiers(model.cache_key_name())


def _written(sender, instance, **kwargs) -> None:
    forget_current_rows(sender, instance)  # now (a delete; a save did it already) and at the commit
    transaction.on_commit(lambda: forget_current_rows(sender, instance), using=kwargs.get("using"))


def forget_current_rows_on_commit(model) -> None:
    """Delete ``model``'s cached entries again when the transaction of a save or delete commits."""
    label = model._meta.label_lower
    post_save.connect(_written, sender=model, dispatch_uid=f"openedx_learner_apis.config_rows.{label}.saved")
    post_delete.connect(_written, sender=model, dispatch_uid=f"openedx_learner_apis.config_rows.{label}.deleted")

"""Cache entries kept under generation tokens, so that a committed write never leaves them stale.

Every scope (a course, a configuration table) has a generation token in Django's cache, and
each entry about the scope is stored under a key that includes the token. A write replaces
the token at once and again after its transaction commits. A reader reads the token before it
reads the database, so a reader that loaded rows from before the commit can only store them
under a token that no one asks for any more; deleting keys instead would let such a reader put
old rows back.

Readers do two cache round trips for any number of scopes (tokens, then entries) and one
database load for all the misses. This holds with the ``READ COMMITTED`` isolation that
Django uses on PostgreSQL and MySQL/MariaDB. The cache must be shared by every process
(Redis, memcached): a local-memory cache keeps one set of tokens per process, which a write
in another process never replaces.

A reader that passes a :class:`ProcessMemo` keeps what it read or loaded in this process
under the same token, and next time needs only the tokens (which it may read together with
other keys): no entry round trip, nothing to unpickle.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable

from django.core.cache import cache
from django.db import transaction

__all__ = ["CACHE_TIMEOUT", "GenerationCache", "ProcessMemo"]

CACHE_TIMEOUT = 60 * 60
MISSING = object()


def _new_generation() -> str:
    return uuid.uuid4().hex


class ProcessMemo:
    """Values kept in this process under a key that ends with a generation token (least recently used first out).

    Rule: a value read or loaded after its token was read may be kept under that token, as a
    cache entry is; a reader who finds the current token's value serves it, so a write (which
    replaces the token) is seen at once, as with the shared entries. Values live at most
    ``timeout`` seconds, as long as a shared entry: with a cache that each process keeps for
    itself (locmem), that bounds what another process's write leaves here. Values are shared by
    every request and thread of the process: callers treat them as read-only.
    """

    def __init__(self, size: int = 1024, *, timeout: float = CACHE_TIMEOUT):
        self.size = size
        self.timeout = timeout
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, default=None):
        with self._lock:
            found = self._values.get(key)
            if found is None:
                return default
            if found[0] < time.monotonic():
                del self._values[key]
                return default
            self._values.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._values[key] = (time.monotonic() + self.timeout, value)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


class GenerationCache:
    """Entries under per-scope generation tokens, in one key namespace (``prefix``).

    A scope is anything whose ``str()`` is stable and unique within the namespace: a course
    key, a table name.
    """

    def __init__(self, prefix: str, *, timeout: int = CACHE_TIMEOUT):
        self.prefix = prefix
        self.timeout = timeout

    def generation_key(self, scope: Hashable) -> str:
        return f"{self.prefix}:generation:{scope}"

    def entry_key(self, kind: str, scope: Hashable, generation: str) -> str:
        return f"{self.prefix}:{kind}:v1:{scope}:{generation}"

    def generations(self, scopes: Iterable[Hashable], *, found: dict | None = None) -> dict:
        """The current generation token of each scope, creating the missing ones.

        ``found`` holds the cache's values of the tokens' keys when the caller read them already
        (with other keys, in one round trip); a key absent from it is a missing token.
        """
        wanted = {scope: self.generation_key(scope) for scope in scopes}
        if found is None:
            found = cache.get_many(list(wanted.values()))
        tokens = {}
        for scope, cache_key in wanted.items():
            token = found.get(cache_key)
            if token is None:
                token = _new_generation()
                # ``add`` never replaces a token a writer set meanwhile (``set`` could bring back stale entries).
                if not cache.add(cache_key, token, None):
                    token = cache.get(cache_key) or token
            tokens[scope] = token
        return tokens

    def _bump(self, scopes: list) -> None:
        cache.set_many({self.generation_key(scope): _new_generation() for scope in scopes}, None)

    def invalidate(self, scopes: Iterable[Hashable]) -> None:
        """Forget every cached entry of ``scopes``, now and again once the current transaction commits."""
        scopes = list(scopes)
        self._bump(scopes)
        transaction.on_commit(lambda: self._bump(scopes))

    def cached(self, kind: str, scopes: Iterable[Hashable], load: Callable[[list], dict], *,
               tokens: dict | None = None, memo: ProcessMemo | None = None) -> dict:
        """``{scope: value}`` from the cache, calling ``load(missing_scopes)`` once for the misses.

        ``load`` returns ``{scope: value}``; a scope it leaves out is neither cached nor returned.
        ``tokens`` are the scopes' generations when the caller already read them (before any
        database read of its own). With ``memo``, values kept in this process under the current
        tokens are served first, and the others kept there (shared objects: read-only).
        """
        scopes = list(dict.fromkeys(scopes))
        if not scopes:
            return {}
        if tokens is None:
            tokens = self.generations(scopes)
        entry_keys = {scope: self.entry_key(kind, scope, tokens[scope]) for scope in scopes}
        result = {}
        if memo is not None:
            for scope in scopes:
                value = memo.get(entry_keys[scope], MISSING)
                if value is not MISSING:
                    result[scope] = value
        wanted = [scope for scope in scopes if scope not in result]
        cached = cache.get_many([entry_keys[scope] for scope in wanted]) if wanted else {}
        missing = []
        for scope in wanted:
            if entry_keys[scope] in cached:
                result[scope] = cached[entry_keys[scope]]
            else:
                missing.append(scope)
        if missing:
            loaded = load(missing)
            # Only what was asked for: a scope ``load`` adds (say, a key spelled otherwise) has no entry here.
            loaded = {scope: loaded[scope] for scope in missing if scope in loaded}
            cache.set_many({entry_keys[scope]: value for scope, value in loaded.items()}, self.timeout)
            result.update(loaded)
        if memo is not None:
            for scope in wanted:
                if scope in result:
                    memo.put(entry_keys[scope], result[scope])
        return {scope: result[scope] for scope in scopes if scope in result}

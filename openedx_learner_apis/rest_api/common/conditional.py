"""Conditional GET and the versioned response cache: strong ETags, ``304 Not Modified``, repeated reads from the cache.

Every ``200`` JSON answer of a view using :class:`ConditionalGetMixin` carries a strong
``ETag`` (the quoted SHA-256 prefix of its body, so it changes exactly when the body does),
``Cache-Control: private, no-cache`` and ``Vary: Authorization, Cookie, Accept-Language``;
a request whose ``If-None-Match`` names it (or ``*``) is answered ``304`` with no body.

When the view's GET is decorated with :func:`versioned_get` and the version can be trusted
(a cache shared by every process, or ``RESPONSE_CACHE`` forcing it), the answer is not even
built on a repeat. Its entry is keyed by the request's *identity*: the endpoint, the full URL,
the media type, the language, the requester, the learners and course populations the answer
reads, the settings, the hooks' version. The entry holds a *check*: a digest of the
generation tokens of every piece of data the answer reads (:mod:`openedx_learner_apis.core.versions`)
and of the values of the waffle toggles it depends on, all read *before* the answer was
built; with it the ETag, the moment the answer next changes with the clock (``until``) and,
when the family's response cache is on, the body. A request reads the tokens, the toggles'
waffle objects and the entry in one ``get_many``, and serves the entry only when its check
equals the digest of what it has just read and ``now < until``: a hit or a ``304`` costs
authentication, one cache round trip and no query. ``docs/http_caching.rst`` lists what
each endpoint's identity and check hold.

Why this is as safe as keying the entry by the tokens themselves: in both schemes a reader
serves an entry only if the tokens it reads now are those the entry's builder read before it
loaded any row (there, by finding the entry under a key made of them; here, by comparing the
check). A write replaces its tokens at once and again when its transaction commits, so a
builder that could have loaded rows from before the commit read tokens that no reader reads
after it: whatever such a builder stores, even over a newer entry (one key per identity, the
last writer wins), holds a check that no later reader accepts, and that reader rebuilds and
files a fresh entry. A stale builder can cost later readers a rebuild, never serve them stale
data. A toggle flip empties waffle's cache of that toggle; its next evaluation reads the row,
the value in the digest changes and the next read rebuilds. A token missing from the cache
(evicted, or never made) is created as everywhere (``add``, never ``set``), and the entry
read with it is not served: that request rebuilds, which is always safe.
An entry past ``until`` is rebuilt.

A host's middleware may set ``request.learner_apis_response_cache = False`` to serve one
request as if its family's response cache were off (built every time, its body not kept):
the bench host does it for its "cold" rows, so that one server measures both paths.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps

from django.core.cache import cache
from django.core.signals import setting_changed
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from ... import __version__
from ...conf import DEFAULTS, learner_apis_settings
from ...core.cache import CACHE_TIMEOUT
from ...core.versions import (
    SHARED,
    default_cache_is_shared,
    learner_tokens,
    population_tokens,
    read_tokens_with,
    shared_tokens,
)
from ...features.response_versions import toggle_reads
from ...hooks import DefaultHooks

__all__ = ["ConditionalGetMixin", "RESPONSE_CACHE_ATTRIBUTE", "Version", "if_none_match_hits", "keeps_bodies",
           "versioned_get"]

ENTRY_PREFIX = "openedx_learner_apis:response:v2:"
VARY = ("Authorization", "Cookie", "Accept-Language")
CACHE_CONTROL = "private, no-cache"
# The request attribute a host's middleware sets to False to turn the response cache off for one request.
RESPONSE_CACHE_ATTRIBUTE = "learner_apis_response_cache"


@dataclass
class Version:
    """What an answer reads besides the URL and the requester (whose learner token always counts).

    ``learners``: user ids whose rows it reads; ``populations``: course keys whose enrollments
    it counts; ``parts``: anything else it depends on;
    ``toggles``: the waffle flags and switches it depends on, evaluated for the request (their
    objects read with the tokens, in the same cache round trip:
    :mod:`~openedx_learner_apis.features.response_versions.toggle_reads`);
    ``until(now)``: the next moment the answer changes with the clock (see
    :mod:`openedx_learner_apis.features.response_versions.boundaries`), called only on a miss.
    """

    learners: tuple = ()
    populations: tuple = ()
    parts: tuple = ()
    toggles: tuple = ()
    until: Callable[[datetime], datetime | None] = field(default=lambda now: None)
    uses_hooks: bool = True


def _entity_tags(header: str) -> list[str]:
    """The entity tags of an ``If-None-Match`` list, the ``W/`` prefix dropped (weak comparison)."""
    tags = []
    for item in header.split(","):
        item = item.strip()
        if item.startswith("W/"):
            item = item[2:]
        if item:
            tags.append(item)
    return tags


def if_none_match_hits(header: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` matches ``etag`` by the weak comparison RFC 9110 asks for GET and HEAD."""
    if not header:
        return False
    tags = _entity_tags(header)
    return "*" in tags or etag in tags


_settings_digest: str | None = None


def _forget_settings_digest(**kwargs) -> None:
    global _settings_digest
    _settings_digest = None


setting_changed.connect(_forget_settings_digest, dispatch_uid="openedx_learner_apis.conditional.settings")


def settings_digest() -> str:
    """A digest of every app setting and the package version: answers built under others are not reused."""
    global _settings_digest
    if _settings_digest is None:
        values = repr(sorted((key, repr(learner_apis_settings.raw(key))) for key in DEFAULTS))
        _settings_digest = hashlib.sha256(f"{__version__}|{values}".encode()).hexdigest()
    return _settings_digest


def hooks_version(user) -> str | None:
    """The hooks' share of a version: the defaults never change; other hooks must say (``response_version``).

    A host's hooks without ``response_version(user)`` (returning a string, or ``None`` for
    "do not reuse") make the answers that ask them unversioned: built every time.
    """
    if learner_apis_settings.HOOKS is DefaultHooks:
        return "default"
    hooks = learner_apis_settings.hooks()
    declared = getattr(hooks, "response_version", None)
    if declared is None:
        return None
    value = declared(user)
    return None if value is None else f"{type(hooks).__module__}.{type(hooks).__qualname__}:{value}"


def _turned_off(request) -> bool:
    """Whether :data:`RESPONSE_CACHE_ATTRIBUTE` is ``False`` on the request (Django's, or DRF's around it).

    Read on each object without DRF's attribute proxying, whose miss raises and catches an
    exception on every request.
    """
    http = getattr(request, "_request", request)
    if getattr(http, RESPONSE_CACHE_ATTRIBUTE, True) is False:
        return True
    return http is not request and getattr(request, "__dict__", {}).get(RESPONSE_CACHE_ATTRIBUTE) is False


def keeps_bodies(view, request) -> bool:
    """Whether this request's answer may be served from, and kept in, the response cache.

    The family's ``RESPONSE_CACHE`` decides, unless the request says no
    (:data:`RESPONSE_CACHE_ATTRIBUTE` set to ``False``, see the module). Unset, it is on exactly
    when the cache is shared by every process; so whenever it is on, the tokens can be trusted
    (a shared cache, or the host forcing the cache on for a single process).
    """
    if _turned_off(request):
        return False
    return learner_apis_settings.response_cache(getattr(view, "family", ""), cache_is_shared=default_cache_is_shared())


@dataclass
class Lookup:
    """One request's look-up: the ``key`` of its entry, the ``check`` an entry must hold to be served
    (the tokens and toggles just read), and the ``entry`` read with them (``None``: none, or a
    token was missing and had to be created, when the request rebuilds whatever was there)."""

    key: str
    check: str
    entry: dict | None


def _identity(view, request, requester, learners: list, populations: list, hooks: str, parts: tuple) -> str:
    """The entry key: everything the answer depends on except the data, whose tokens go into the check.

    The URL is its parts (scheme, validated host, path, raw query string) rather than
    ``build_absolute_uri()``, which makes the same text from them at several times the cost;
    ``repr`` of the list is as unambiguous as JSON and cheaper.
    """
    http = getattr(request, "_request", request)  # Django's request under DRF's: no attribute proxying
    identity = [
        f"{type(view).__module__}.{type(view).__qualname__}", http.scheme, http.get_host(), http.path,
        http.META.get("QUERY_STRING", ""), request.accepted_media_type, translation.get_language(), requester,
        learners, populations, settings_digest(), hooks, [str(part) for part in parts],
    ]
    return ENTRY_PREFIX + hashlib.sha256(repr(identity).encode()).hexdigest()


def entry_check(key: str, tokens: list, toggles: tuple) -> str:
    """The digest an entry filed under ``key`` holds: the generation tokens and toggle values it was built under.

    Tokens are hex strings and toggles ``name=value`` (no line breaks): one per line is unambiguous.
    """
    return hashlib.sha256("\n".join((key, *map(str, tokens), *toggles)).encode()).hexdigest()


def look_up(view, request, version: Version) -> Lookup | None:
    """The tokens, the toggles' waffle objects and the entry, in one cache round trip (see the module).

    ``None`` when the answer must be built every time (hooks that cannot say their version).
    """
    hooks = hooks_version(request.user) if version.uses_hooks else "none"
    if hooks is None:
        return None
    requester = request.user.pk if request.user.is_authenticated else None
    learners = sorted({requester, *version.learners} - {None})
    populations = sorted({str(key) for key in version.populations})
    key = _identity(view, request, requester, learners, populations, hooks, version.parts)
    wanted = [(learner_tokens, user_id) for user_id in learners]
    wanted += [(population_tokens, course_key) for course_key in populations]
    wanted.append((shared_tokens, SHARED))
    toggle_keys = toggle_reads.cache_keys(version.toggles) if version.toggles else []
    batched = bool(toggle_keys) and toggle_reads.shares_default_cache()
    read = read_tokens_with(wanted, [*toggle_keys, key] if batched else [key])
    toggles = toggle_reads.evaluate(version.toggles, read.found if batched else None) if toggle_keys else ()
    return Lookup(key, entry_check(key, read.tokens, toggles), read.found.get(key) if read.complete else None)


def versioned_get(describe: Callable[..., Version | None]):
    """Decorates a view's ``get``: repeated reads are answered from their version's entry.

    ``describe(view, request, *args, **kwargs)`` runs after authentication and permissions;
    it returns the :class:`Version` of the answer, or ``None`` when this request's answer must
    be built every time (a masquerade, hooks that cannot say...).
    """

    def decorate(get):
        @wraps(get)
        def wrapper(view, request, *args, **kwargs):
            renderer = getattr(request, "accepted_renderer", None)
            if getattr(renderer, "format", None) != "json" or not keeps_bodies(view, request):
                # With the response cache off the answer is built as before: no version, no clock
                # boundary to compute; the ETag of the built body still answers If-None-Match.
                return get(view, request, *args, **kwargs)
            version = describe(view, request, *args, **kwargs)
            lookup = look_up(view, request, version) if version is not None else None
            if lookup is None:
                return get(view, request, *args, **kwargs)
            now = timezone.now()
            entry = lookup.entry
            if entry is not None and entry.get("check") == lookup.check and (
                    entry["until"] is None or now < entry["until"]):
                if if_none_match_hits(request.headers.get("If-None-Match"), entry["etag"]):
                    return HttpResponseNotModified(headers={"ETag": entry["etag"]})
                if entry["body"] is not None:
                    response = HttpResponse(entry["body"], content_type=entry["content_type"])
                    response["ETag"] = entry["etag"]
                    return response
            view._pending_version = (lookup, version, now)
            return get(view, request, *args, **kwargs)

        return wrapper

    return decorate


class ConditionalGetMixin:
    """ETag, ``Cache-Control``, ``Vary`` and ``304`` for the view's successful JSON reads (see the module)."""

    _pending_version = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code not in (200, 304):
            return response
        if response.status_code == 200 and not response.has_header("ETag"):
            if getattr(getattr(request, "accepted_renderer", None), "format", None) != "json":
                return response
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
            self._store(request, response)
        response["Cache-Control"] = CACHE_CONTROL
        patch_vary_headers(response, VARY)
        if response.status_code == 200 and if_none_match_hits(request.headers.get("If-None-Match"), response["ETag"]):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary", "Date", "Access-Control-Expose-Headers"):
                if response.has_header(header):
                    not_modified[header] = response[header]
            return not_modified
        return response

    def _store(self, request, response) -> None:
        """File the built answer with the check read before it was built (see the module)."""
        if self._pending_version is None:
            return
        lookup, version, now = self._pending_version
        until = version.until(now)
        lifetime = CACHE_TIMEOUT if until is None else min(CACHE_TIMEOUT, int((until - now).total_seconds()))
        if lifetime <= 0:
            return
        keep_body = keeps_bodies(self, request)
        cache.set(lookup.key, {"check": lookup.check, "etag": response["ETag"], "until": until,
                               "content_type": response["Content-Type"],
                               "body": bytes(response.content) if keep_body else None}, lifetime)

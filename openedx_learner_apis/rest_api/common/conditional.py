"""Conditional GET and the versioned response cache: strong ETags, ``304 Not Modified``, repeated reads from the cache.

Every ``200`` JSON answer of a view using :class:`ConditionalGetMixin` carries a strong
``ETag`` (the quoted SHA-256 prefix of its body, so it changes exactly when the body does),
``Cache-Control: private, no-cache`` and ``Vary: Authorization, Cookie, Accept-Language``;
a request whose ``If-None-Match`` names it (or ``*``) is answered ``304`` with no body.

When the view's GET is decorated with :func:`versioned_get` and the version can be trusted
(a cache shared by every process, or ``RESPONSE_CACHE`` forcing it), the answer is not even
built on a repeat: its *version* (a digest of the endpoint, the full URL, the requester, the
language, the settings and the generation tokens of every piece of data the answer reads,
all read in one cache round trip) keys an entry holding the ETag, the moment the answer next
changes with the clock (``until``) and, when the family's response cache is on, the body.
Writes replace the tokens at once and again on commit (:mod:`openedx_learner_apis.core.versions`),
so an entry is never found after a write that changes its answer; an entry past ``until`` is
rebuilt. ``docs/http_caching.rst`` lists what each endpoint's version holds.

A host's middleware may set ``request.learner_apis_response_cache = False`` to serve one
request as if its family's response cache were off (built every time, its body not kept):
the bench host does it for its "cold" rows, so that one server measures both paths.
"""

from __future__ import annotations

import hashlib
import json
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

ENTRY_PREFIX = "openedx_learner_apis:response:v1:"
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
    hooks = learner_apis_settings.hooks()
    if type(hooks) is DefaultHooks:
        return "default"
    declared = getattr(hooks, "response_version", None)
    if declared is None:
        return None
    value = declared(user)
    return None if value is None else f"{type(hooks).__module__}.{type(hooks).__qualname__}:{value}"


def versions_trusted(family: str) -> bool:
    """Tokens can be trusted when every process shares the cache, or when the host forces the family's cache on."""
    return default_cache_is_shared() or learner_apis_settings.response_cache(family, cache_is_shared=False)


def keeps_bodies(view, request) -> bool:
    """Whether this request's answer may be served from, and kept in, the response cache.

    The family's ``RESPONSE_CACHE`` decides, unless the request says no
    (:data:`RESPONSE_CACHE_ATTRIBUTE` set to ``False``, see the module).
    """
    if getattr(request, RESPONSE_CACHE_ATTRIBUTE, True) is False:
        return False
    return learner_apis_settings.response_cache(getattr(view, "family", ""), cache_is_shared=default_cache_is_shared())


def _entry_key(view, request, version: Version) -> str | None:
    hooks = hooks_version(request.user) if version.uses_hooks else "none"
    if hooks is None:
        return None
    requester = request.user.pk if request.user.is_authenticated else None
    learners = sorted({requester, *version.learners} - {None})
    wanted = [(learner_tokens, user_id) for user_id in learners]
    wanted += [(population_tokens, str(key)) for key in sorted({str(key) for key in version.populations})]
    wanted.append((shared_tokens, SHARED))
    toggle_keys = toggle_reads.cache_keys(version.toggles) if toggle_reads.shares_default_cache() else []
    tokens, found = read_tokens_with(wanted, toggle_keys)
    toggles = (toggle_reads.evaluate(version.toggles, found, toggle_keys) if toggle_keys
               else toggle_reads.evaluate(version.toggles) if version.toggles else ())
    identity = [
        f"{type(view).__module__}.{type(view).__qualname__}", request.build_absolute_uri(),
        request.accepted_media_type, translation.get_language(), requester, learners, settings_digest(), hooks,
        [str(part) for part in (*version.parts, *toggles)], tokens,
    ]
    return ENTRY_PREFIX + hashlib.sha256(json.dumps(identity, default=str).encode()).hexdigest()


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
            if getattr(renderer, "format", None) != "json" or not versions_trusted(getattr(view, "family", "")):
                return get(view, request, *args, **kwargs)
            if not keeps_bodies(view, request):
                # With the response cache off the answer is built as before: no version, no clock
                # boundary to compute; the ETag of the built body still answers If-None-Match.
                return get(view, request, *args, **kwargs)
            version = describe(view, request, *args, **kwargs)
            key = _entry_key(view, request, version) if version is not None else None
            if key is None:
                return get(view, request, *args, **kwargs)
            now = timezone.now()
            entry = cache.get(key)
            if entry is not None and (entry["until"] is None or now < entry["until"]):
                if if_none_match_hits(request.headers.get("If-None-Match"), entry["etag"]):
                    return HttpResponseNotModified(headers={"ETag": entry["etag"]})
                if entry["body"] is not None and keeps_bodies(view, request):
                    response = HttpResponse(entry["body"], content_type=entry["content_type"])
                    response["ETag"] = entry["etag"]
                    return response
            view._pending_version = (key, version, now)
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
        """File the built answer under the version read before it was built (see the module)."""
        if self._pending_version is None:
            return
        key, version, now = self._pending_version
        until = version.until(now)
        lifetime = CACHE_TIMEOUT if until is None else min(CACHE_TIMEOUT, int((until - now).total_seconds()))
        if lifetime <= 0:
            return
        keep_body = keeps_bodies(self, request)
        cache.set(key, {"etag": response["ETag"], "until": until, "content_type": response["Content-Type"],
                        "body": bytes(response.content) if keep_body else None}, lifetime)

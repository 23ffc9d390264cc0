"""Builds the root URL patterns that put the app's routes before a host's own, with one URL namespace each.

The order is: the app's routes, then the host's routes (the app's own include, which Open edX
appends through plugin discovery, taken out), then the app's fallbacks, the loose patterns
that answer malformed URLs under a family's prefix with a JSON 404 (``rest_api/common/
unmatched.py``). The fallbacks go last so that a host route the app does not serve, under a
prefix both share (``/api/mobile/v3/course_info/blocks/``), still reaches the host's view.

Where the host and the app both declare a URL namespace (``certificates_api``,
``mobile_api``, ``profile_images``...), Django would keep only the first for ``reverse()``
and warn (``urls.W005``). Here the two declarations become one namespace holding both
sides, the app's first: every name of either side reverses, and each namespace is declared
once. Namespaces nested inside a merged one (``certificates_api:v0``) are merged the same
way. Namespaces the host declares twice without the app are left as the host has them.
"""

from __future__ import annotations

from collections import defaultdict

from django.urls import URLResolver
from django.urls.resolvers import RegexPattern

from . import APP_URLS


def is_fallback(pattern) -> bool:
    """A loose pattern of ``unmatched_route``: its view serves no route, only a 404 in a family's shape."""
    view_class = getattr(getattr(pattern, "callback", None), "view_class", None)
    return bool(getattr(view_class, "serves_no_route", False))


def _copy(resolver: URLResolver, patterns: list, *, namespaced: bool = True) -> URLResolver:
    return URLResolver(resolver.pattern, patterns, resolver.default_kwargs,
                       app_name=resolver.app_name if namespaced else None,
                       namespace=resolver.namespace if namespaced else None)


def split_fallbacks(patterns) -> tuple[list, list]:
    """``(routes, fallbacks)``: the same tree twice, once without and once with only the loose patterns.

    The fallbacks keep their prefixes but no namespace: they have no names to reverse, and a
    namespace there would be a second declaration of the family's.
    """
    routes, fallbacks = [], []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner_routes, inner_fallbacks = split_fallbacks(pattern.url_patterns)
            if inner_routes:
                routes.append(_copy(pattern, inner_routes))
            if inner_fallbacks:
                fallbacks.append(_copy(pattern, inner_fallbacks, namespaced=False))
        elif is_fallback(pattern):
            fallbacks.append(pattern)
        else:
            routes.append(pattern)
    return routes, fallbacks


def includes_app(resolver) -> bool:
    """Whether ``resolver`` includes the app's root URL module (as plugin discovery mounts it)."""
    urlconf = resolver.urlconf_name
    return getattr(urlconf, "__name__", urlconf) == APP_URLS


def without_app(patterns) -> list:
    """The host's patterns without the app's own include, wherever it is mounted."""
    kept = []
    for pattern in patterns:
        if not isinstance(pattern, URLResolver):
            kept.append(pattern)
        elif not includes_app(pattern):
            inner = without_app(pattern.url_patterns)
            kept.append(pattern if _same(inner, pattern.url_patterns) else _copy(pattern, inner))
    return kept


def _same(new: list, old) -> bool:
    old = list(old)
    return len(new) == len(old) and all(a is b for a, b in zip(new, old))


def _declarations(patterns, chain=(), found=None) -> dict:
    """``{namespace: [(chain, resolver)]}``: the namespaced resolvers Django lifts to this level.

    ``chain`` is the path of namespace-less resolvers (their prefixes) above each one.
    """
    found = defaultdict(list) if found is None else found
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace:
                found[pattern.namespace].append((chain, pattern))
            else:
                _declarations(pattern.url_patterns, (*chain, pattern), found)
    return found


def namespaces_of(patterns) -> set[str]:
    return set(_declarations(patterns))


def _rooted(chain: tuple, resolver: URLResolver) -> URLResolver:
    """``resolver`` without its namespace, under the prefixes of ``chain``."""
    rooted = URLResolver(resolver.pattern, list(resolver.url_patterns), resolver.default_kwargs)
    for outer in reversed(chain):
        rooted = URLResolver(outer.pattern, [rooted], outer.default_kwargs)
    return rooted


def _without(patterns, dropped: set[int]) -> list:
    kept = []
    for pattern in patterns:
        if id(pattern) in dropped:
            continue
        if isinstance(pattern, URLResolver) and not pattern.namespace:
            inner = _without(pattern.url_patterns, dropped)
            if _same(inner, pattern.url_patterns):
                kept.append(pattern)
            elif inner:
                kept.append(_copy(pattern, inner))
        else:
            kept.append(pattern)
    return kept


def merge_namespaces(patterns, only: set[str] | None = None) -> list:
    """``patterns`` with each namespace declared twice or more (among ``only``, if given) declared once.

    The merged namespace sits where its first declaration's top-level pattern was, and holds
    every declaration, in order, under its own prefixes.
    """
    patterns = list(patterns)
    found = _declarations(patterns)
    repeated = {name: places for name, places in found.items()
                if len(places) > 1 and (only is None or name in only)}
    if not repeated:
        return patterns
    dropped = {id(resolver) for places in repeated.values() for _, resolver in places}
    merged_before = defaultdict(list)  # id of a top-level pattern -> merged namespaces placed before it
    for name, places in repeated.items():
        chain, first = places[0]
        top = chain[0] if chain else first
        merged = URLResolver(RegexPattern(r"^"), merge_namespaces([_rooted(c, r) for c, r in places]),
                             app_name=first.app_name, namespace=name)
        merged_before[id(top)].append(merged)
    result = []
    for pattern in patterns:
        result.extend(merged_before.get(id(pattern), ()))
        result.extend(_without([pattern], dropped))
    return result


def precedence_patterns(app_patterns, host_patterns) -> list:
    """The app's routes, the host's (less the app's include), the app's fallbacks; shared namespaces merged."""
    routes, fallbacks = split_fallbacks(app_patterns)
    host = without_app(host_patterns)
    return [*merge_namespaces([*routes, *host], only=namespaces_of(routes)), *fallbacks]

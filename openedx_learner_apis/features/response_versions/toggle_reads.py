"""The waffle toggles of a response version, read from the cache in one round trip.

A version lists the value of every toggle that changes its answer (``endpoint_versions``).
Evaluated one by one, each toggle is a separate read of waffle's cache (``Flag.get`` and
``Switch.get``), which on a shared cache (Redis, memcached) is a network round trip: course
info evaluates eight of them, more than the rest of a cache hit. :func:`evaluate` asks the
cache for every toggle's waffle object at once (``get_many`` on waffle's own keys), then
evaluates each object exactly as waffle does (``Flag.is_active(request)``, ``Switch.is_active()``,
a missing row as waffle's unsaved default object), so the values are those the view reads
while building the answer. A toggle whose object is not cached yet, or a flag read without
a request, falls back to the toggle's own ``is_enabled()`` (which fills waffle's cache).
When waffle uses the default cache, the response cache reads these objects in the same round
trip as the version's generation tokens (``rest_api.common.conditional``).
"""

from __future__ import annotations

from collections.abc import Iterable

from crum import get_current_request
from django.core.cache import DEFAULT_CACHE_ALIAS
from edx_toggles.toggles import WaffleFlag, WaffleSwitch
from waffle import get_waffle_flag_model, get_waffle_switch_model
from waffle.models import CACHE_EMPTY  # what waffle's cache holds for a toggle without a row
from waffle.utils import get_cache, get_setting

__all__ = ["cache_keys", "chosen", "evaluate", "shares_default_cache"]


# Waffle's stand-in for a toggle without a row is an unsaved object named after it; it holds
# nothing else and evaluating it changes nothing, so one per name and process is reused.
_UNSAVED: dict = {}


def _unsaved(model, name: str):
    key = (model, name)
    if key not in _UNSAVED:
        _UNSAVED[key] = model(name=name)
    return _UNSAVED[key]


def _flag_value(toggle: WaffleFlag, cached, current) -> bool:
    """``current``: crum's current request, which edx-toggles evaluates flags for."""
    known = WaffleFlag.cached_flags().get(toggle.name)
    if known is not None:
        return bool(known)  # already evaluated in this request: edx-toggles answers the same
    if cached is None or current is None:
        return bool(toggle.is_enabled())
    flag = _unsaved(get_waffle_flag_model(), toggle.name) if cached == CACHE_EMPTY else cached
    return bool(flag.is_active(current))


def _switch_value(toggle: WaffleSwitch, cached) -> bool:
    if cached is None:
        return bool(toggle.is_enabled())
    switch = _unsaved(get_waffle_switch_model(), toggle.name) if cached == CACHE_EMPTY else cached
    return bool(switch.is_active())


def chosen(toggles: Iterable) -> list:
    """The flags and switches among ``toggles``, in order (anything else is skipped)."""
    return [toggle for toggle in toggles if isinstance(toggle, (WaffleFlag, WaffleSwitch))]


def cache_keys(toggles: Iterable) -> list[str]:
    """Waffle's cache keys of the flags and switches among ``toggles``, in order."""
    flag_model, switch_model = get_waffle_flag_model(), get_waffle_switch_model()
    return [(flag_model if isinstance(toggle, WaffleFlag) else switch_model)._cache_key(toggle.name)
            for toggle in chosen(toggles)]


def shares_default_cache() -> bool:
    """Whether waffle keeps its objects in ``CACHES["default"]``, so that they can be read with other keys."""
    return get_setting("CACHE_NAME") == DEFAULT_CACHE_ALIAS


def evaluate(toggles: Iterable, found: dict | None = None, keys: list[str] | None = None) -> tuple[str, ...]:
    """``name=value`` of each flag and switch in ``toggles`` (others are skipped), in order, for crum's request.

    ``found``: waffle's cached objects already fetched (``{key: value}`` for ``keys``, which are
    :func:`cache_keys` of ``toggles``, read with other keys in one round trip); ``None`` reads
    them here, in one ``get_many``.
    """
    toggles = chosen(toggles)
    keys = cache_keys(toggles) if keys is None else keys
    if found is None:
        found = get_cache().get_many(keys) if keys else {}
    current = get_current_request()
    values = []
    for toggle, key in zip(toggles, keys):
        cached = found.get(key)
        if isinstance(toggle, WaffleFlag):
            value = _flag_value(toggle, cached, current)
        else:
            value = _switch_value(toggle, cached)
        values.append(f"{toggle.name}={value}")
    return tuple(values)

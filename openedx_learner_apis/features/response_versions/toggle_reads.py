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

What does not change between requests is worked out once per process and forgotten when a
``WAFFLE_*`` setting changes (tests): waffle's cache key and model of each toggle, and
waffle's answer for a toggle without a row. That answer is waffle's ``FLAG_DEFAULT`` or
``SWITCH_DEFAULT`` when evaluating the unsaved object has no side effect (neither
``LOG_MISSING_*`` nor ``CREATE_MISSING_*`` set, the model's own ``is_active`` being waffle's);
otherwise the unsaved object is evaluated as waffle would.
"""

from __future__ import annotations

from collections.abc import Iterable

from crum import get_current_request
from django.core.cache import DEFAULT_CACHE_ALIAS
from django.core.signals import setting_changed
from edx_toggles.toggles import WaffleFlag, WaffleSwitch
from waffle import get_waffle_flag_model, get_waffle_switch_model
from waffle.models import CACHE_EMPTY, AbstractBaseFlag, AbstractBaseSwitch
from waffle.utils import get_cache, get_setting

__all__ = ["cache_keys", "chosen", "evaluate", "shares_default_cache"]


# CACHE_EMPTY is what waffle's cache holds for a toggle without a row.
# Waffle's stand-in for a toggle without a row is an unsaved object named after it; it holds
# nothing else and evaluating it changes nothing, so one per name and process is reused.
_UNSAVED: dict = {}
# {toggles: [(toggle, waffle cache key, is a flag, {value: "name=value"}), ...]} of the flags and switches among them.
_PLANS: dict = {}
# Waffle's settings as evaluation reads them (see the module), filled by :func:`_waffle`.
_SETTINGS: dict = {}


def _forget(setting: str = "", **kwargs) -> None:
    if setting.startswith("WAFFLE_") or setting == "INSTALLED_APPS":
        _UNSAVED.clear()
        _PLANS.clear()
        _SETTINGS.clear()


setting_changed.connect(_forget, dispatch_uid="openedx_learner_apis.toggle_reads.settings")


def _without_side_effect(kind: str, model, base) -> bool | None:
    """Waffle's value for a ``kind`` ("FLAGS", "SWITCHES") without a row, or ``None`` when it must be evaluated."""
    if get_setting(f"LOG_MISSING_{kind}") or get_setting(f"CREATE_MISSING_{kind}") \
            or getattr(model.is_active, "__func__", model.is_active) is not base.is_active:
        return None
    return bool(get_setting("FLAG_DEFAULT" if kind == "FLAGS" else "SWITCH_DEFAULT"))


def _waffle() -> dict:
    if not _SETTINGS:
        flag_model, switch_model = get_waffle_flag_model(), get_waffle_switch_model()
        _SETTINGS.update(
            flag_model=flag_model, switch_model=switch_model,
            shares_default_cache=get_setting("CACHE_NAME") == DEFAULT_CACHE_ALIAS,
            missing_flag=_without_side_effect("FLAGS", flag_model, AbstractBaseFlag),
            missing_switch=_without_side_effect("SWITCHES", switch_model, AbstractBaseSwitch))
    return _SETTINGS


def _unsaved(model, name: str):
    key = (model, name)
    if key not in _UNSAVED:
        _UNSAVED[key] = model(name=name)
    return _UNSAVED[key]


def _plan(toggles) -> list:
    toggles = tuple(toggles)
    plan = _PLANS.get(toggles)
    if plan is None:
        waffle = _waffle()
        plan = [(toggle, (waffle["flag_model"] if isinstance(toggle, WaffleFlag) else waffle["switch_model"])
                 ._cache_key(toggle.name), isinstance(toggle, WaffleFlag),
                 {True: f"{toggle.name}=True", False: f"{toggle.name}=False"}) for toggle in chosen(toggles)]
        _PLANS[toggles] = plan
    return plan


def _flag_value(toggle: WaffleFlag, cached, current, known: dict) -> bool:
    """``current``: crum's current request, which edx-toggles evaluates flags for; ``known``: its evaluated flags."""
    value = known.get(toggle.name)
    if value is not None:
        return bool(value)  # already evaluated in this request: edx-toggles answers the same
    if cached is None or current is None:
        return bool(toggle.is_enabled())
    if cached == CACHE_EMPTY:
        waffle = _waffle()
        if waffle["missing_flag"] is not None:
            return waffle["missing_flag"]
        return bool(_unsaved(waffle["flag_model"], toggle.name).is_active(current))
    return bool(cached.is_active(current))


def _switch_value(toggle: WaffleSwitch, cached) -> bool:
    if cached is None:
        return bool(toggle.is_enabled())
    if cached == CACHE_EMPTY:
        waffle = _waffle()
        if waffle["missing_switch"] is not None:
            return waffle["missing_switch"]
        return bool(_unsaved(waffle["switch_model"], toggle.name).is_active())
    return bool(cached.is_active())


def chosen(toggles: Iterable) -> list:
    """The flags and switches among ``toggles``, in order (anything else is skipped)."""
    return [toggle for toggle in toggles if isinstance(toggle, (WaffleFlag, WaffleSwitch))]


def cache_keys(toggles: Iterable) -> list[str]:
    """Waffle's cache keys of the flags and switches among ``toggles``, in order."""
    return [step[1] for step in _plan(toggles)]


def shares_default_cache() -> bool:
    """Whether waffle keeps its objects in ``CACHES["default"]``, so that they can be read with other keys."""
    return _waffle()["shares_default_cache"]


def evaluate(toggles: Iterable, found: dict | None = None) -> tuple[str, ...]:
    """``name=value`` of each flag and switch in ``toggles`` (others are skipped), in order, for crum's request.

    ``found``: waffle's cached objects already fetched (``{key: value}`` for the
    :func:`cache_keys` of ``toggles``, read with other keys in one round trip, a key absent
    when the cache has no value); ``None`` reads them here, in one ``get_many``.
    """
    plan = _plan(toggles)
    if not plan:
        return ()
    if found is None:
        found = get_cache().get_many([step[1] for step in plan])
    current, known = get_current_request(), WaffleFlag.cached_flags()
    return tuple(spelled[_flag_value(toggle, found.get(key), current, known) if is_flag
                         else _switch_value(toggle, found.get(key))] for toggle, key, is_flag, spelled in plan)

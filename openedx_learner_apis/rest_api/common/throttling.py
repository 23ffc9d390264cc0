"""Rate limits on the families' write requests, one budget per user and family (``THROTTLE_RATES``).

Writes (POST, PUT, PATCH, DELETE) are what cost: a profile image upload decodes an image of
up to ``PROFILE_IMAGE_MAX_PIXELS`` (36 megapixels by default) and stores four resized copies;
an account or progress update writes rows. Reads are never counted here, so the mobile apps'
polling is not affected. Each request a view throttles counts against
``THROTTLE_RATES[family]`` for its user (for an anonymous request, its address), held in
Django's default cache by DRF's ``SimpleRateThrottle``; ``None`` turns a family's limit off.
The deprecated profile image routes are views of the ``profile_images`` family, so they share
its budget: alternating the current and deprecated routes gives a client no extra uploads.

A refused request raises DRF's ``Throttled``: 429 with a ``Retry-After`` header (seconds), in
the family's error shape. The rate is read on every request, so ``override_settings`` and a
changed setting apply at once.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import UserRateThrottle

from ...conf import SETTING_NAME, learner_apis_settings

# The families with write routes; the others (badges, certificates) only read.
THROTTLED_FAMILIES = ("profile_images", "accounts", "mobile", "courseware")
# Seconds in a period, by its first letter, as DRF reads a rate.
PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class InvalidRate(ValueError):
    """A ``THROTTLE_RATES`` value that is neither ``None`` nor ``"<count>/<period>"``."""


def parse_rate(rate) -> tuple[int, int] | None:
    """``"10/minute"`` -> ``(10, 60)``; ``None`` -> ``None`` (not throttled).

    The count is a positive integer and the period one of second, minute, hour, day (DRF reads
    only its first letter: ``s``, ``m``, ``h``, ``d``). Anything else raises ``InvalidRate``,
    so a typo is reported by ``manage.py check`` (E012) instead of failing requests.
    """
    if rate is None:
        return None
    if not isinstance(rate, str) or rate.count("/") != 1:
        raise InvalidRate(f"{rate!r} is not a rate like '10/minute'.")
    count, period = (part.strip() for part in rate.split("/"))
    if not count.isdigit() or int(count) < 1 or period[:1] not in PERIODS:
        raise InvalidRate(f"{rate!r} is not a rate like '10/minute' (a positive count per second, "
                          "minute, hour or day).")
    return int(count), PERIODS[period[0]]


def family_rate(family: str) -> str | None:
    """The configured rate of ``family``'s writes, ``None`` when it is not throttled."""
    rates = learner_apis_settings.THROTTLE_RATES
    return rates.get(family) if isinstance(rates, dict) else None


class FamilyWriteThrottle(UserRateThrottle):
    """Counts a view's write requests against its family's rate, per user (DRF's user throttle).

    The family and its rate are looked up per request, from the view's ``family``; a safe
    method, a family without a rate, or a rate that does not parse lets the request through
    (the last is reported by the system check instead of turning every write into a 500).
    """

    def __init__(self):
        # DRF's constructor reads a rate for ``scope`` at once; here the family is known only
        # when a request arrives, so the rate is set in ``allow_request``.
        self.rate = None
        self.num_requests = self.duration = None

    def allow_request(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        family = getattr(view, "family", "")
        try:
            parsed = parse_rate(family_rate(family))
        except InvalidRate:
            return True
        if parsed is None:
            return True
        self.scope = f"{SETTING_NAME.lower()}.{family}"
        self.rate = family_rate(family)
        self.num_requests, self.duration = parsed
        return super().allow_request(request, view)

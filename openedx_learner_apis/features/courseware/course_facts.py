"""Course-info rules that read only the course and its modes: prices, modes, prerequisites, media, links.

Pure functions, so each rule is tested without a database (``docs/courseware.rst``, "Course info").
"""

from __future__ import annotations

from datetime import datetime

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey

from ...conf import learner_apis_settings

AUDIT, HONOR, VERIFIED, PROFESSIONAL = "audit", "honor", "verified", "professional"
# Modes whose learners must sign the integrity agreement; masters is deliberately not one of them.
INTEGRITY_SIGNATURE_MODES = frozenset({"credit", "verified", "professional", "no-id-professional",
                                       "executive-education"})
# Modes a learner can still upgrade from.
UPSELL_MODES = frozenset({AUDIT, HONOR})
DEFAULT_GRADE_CUTOFFS = {"Pass": 0.5}


def certificate_eligible_mode(mode: str | None) -> bool:
    """Every mode but audit earns certificates; honor only while honor certificates are on."""
    if not mode or mode == AUDIT:
        return False
    return not (mode == HONOR and learner_apis_settings.DISABLE_HONOR_CERTIFICATES)


def course_price(modes) -> str:
    """The cheapest mode in the platform currency, as ``$49``; ``Free`` when nothing costs money."""
    currency, symbol = learner_apis_settings.PAID_COURSE_REGISTRATION_CURRENCY
    prices = [mode.min_price for mode in modes if mode.currency.lower() == currency.lower()]
    price = min(prices) if prices else 0
    return f"{symbol}{price}" if price > 0 else "Free"


def single_paid_mode(modes) -> dict:
    """The only mode when it is paid, else the professional mode, as ``{sku, name, min_price, description}``."""
    chosen = None
    if len(modes) == 1 and modes[0].min_price > 0:
        chosen = modes[0]
    else:
        chosen = next((mode for mode in modes if mode.mode_slug in (PROFESSIONAL, "no-id-professional")), None)
    if chosen is None:
        return {}
    return {"sku": chosen.sku, "name": chosen.mode_display_name, "min_price": chosen.min_price,
            "description": chosen.description}


def pre_requisite_courses(course) -> list[dict]:
    """The prerequisite courses as ``{key, display}``; keys that do not parse are left out."""
    result = []
    for key in course.pre_requisite_courses or []:
        try:
            parsed = CourseKey.from_string(str(key))
        except InvalidKeyError:
            continue
        result.append({"key": str(parsed), "display": f"{parsed.org} {parsed.course}"})
    return result


def certificate_available_date(course) -> datetime | None:
    """When instructor-paced certificates become visible (``end`` or ``end_with_date`` behaviour)."""
    if course.self_paced or course.certificates_display_behavior == "early_no_info":
        return None
    if course.certificates_display_behavior == "end_with_date" and course.certificate_available_date:
        return course.certificate_available_date
    return course.end


def media(course) -> dict:
    """The course image and video; the one image stands for every image size."""
    image = course.course_image_url or None
    return {
        "course_image": {"uri": image},
        "course_video": {"uri": course.video_url or None},
        "image": {"raw": image, "small": image, "large": image},
    }

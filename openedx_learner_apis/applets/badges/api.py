"""Public functions of the badges applet: badge classes, awards and the learner's badge list."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from opaque_keys import InvalidKeyError
from opaque_keys.edx.django.models import CourseKeyField
from opaque_keys.edx.keys import CourseKey
from PIL import Image, UnidentifiedImageError

from ...core.keys import InvalidKey, as_course_key, spelled_exactly
from ...core.users import as_user
from ...signals import badge_awarded, send_on_commit
from .models import BadgeAssertion, BadgeClass

__all__ = ["create_badge_class", "award_badge", "user_badge_assertions", "AssertionFilters", "ANY_COURSE"]

# Open edX refused badge images of 250 KB or more.
BADGE_IMAGE_MAX_BYTES = 250 * 1024
# Decoding stops here: a badge icon is small, and a huge header must not cost memory.
BADGE_IMAGE_MAX_PIXELS = 4096 * 4096


class _AnyCourse:
    """The ``course_id=*`` filter: badges of every course and course-less ones."""

    def __repr__(self):
        return "ANY_COURSE"


ANY_COURSE = _AnyCourse()


def read_badge_image(image) -> ContentFile:
    """The image's bytes once they pass the Open edX rules: a real, square image under 250 KB.

    Raises ``ValidationError`` otherwise; the admin form uses it too.
    """
    if hasattr(image, "seek"):
        image.seek(0)
    data = image.read(BADGE_IMAGE_MAX_BYTES)
    if len(data) >= BADGE_IMAGE_MAX_BYTES:
        raise ValidationError({"image": "The badge image file size must be less than 250KB."})
    try:
        with Image.open(io.BytesIO(data)) as decoded:
            if decoded.width * decoded.height > BADGE_IMAGE_MAX_PIXELS:
                raise ValidationError({"image": "The badge image is too large."})
            decoded.verify()
            width, height = decoded.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError({"image": "The badge image is not a valid image."}) from exc
    if width != height:
        raise ValidationError({"image": "The badge image must be square."})
    return ContentFile(data)


def create_badge_class(slug: str, issuing_component: str = "", *, display_name: str, description: str,
                       criteria: str, image=None, course_key=None, mode: str = "") -> BadgeClass:
    """Create or update the badge class ``(slug, issuing_component, course_key)``.

    ``image`` (a file object) goes to the default storage; it is required for a new
    class and replaces the icon of an existing one. Everything is validated before
    anything is written, so a rejected call leaves the storage and the database as
    they were; a replaced icon file is deleted once the transaction commits.
    """
    slug, issuing_component = slug.lower(), (issuing_component or "").lower()
    course_key = as_course_key(course_key) if course_key else CourseKeyField.Empty
    content = read_badge_image(image) if image is not None else None
    with transaction.atomic():
        badge_class = BadgeClass.objects.select_for_update().filter(
            slug=slug, issuing_component=issuing_component, course_key=course_key).first()
        if badge_class is None:
            if content is None:
                raise ValidationError({"image": "A new badge class needs an image."})
            badge_class = BadgeClass(slug=slug, issuing_component=issuing_component, course_key=course_key)
        badge_class.display_name, badge_class.description = display_name, description
        badge_class.criteria, badge_class.mode = criteria, mode
        badge_class.full_clean(exclude=["image"], validate_unique=False)
        old_name = badge_class.image.name
        if content is not None:
            filename = (getattr(image, "name", None) or f"{slug}.png").rsplit("/", 1)[-1]
            badge_class.image.save(filename, content, save=False)
        try:
            badge_class.save()
        except Exception:
            if content is not None:
                badge_class.image.storage.delete(badge_class.image.name)
            raise
        if content is not None and old_name and old_name != badge_class.image.name:
            storage = badge_class.image.storage
            transaction.on_commit(lambda: storage.delete(old_name))
    return badge_class


def award_badge(user, badge_class: BadgeClass, *, image_url: str, assertion_url: str, backend: str = "",
                data: dict | None = None) -> BadgeAssertion:
    """Record a badge awarded to ``user``; sends ``badge_awarded`` once the transaction commits."""
    user = as_user(user)
    assertion = BadgeAssertion(user=user, badge_class=badge_class, image_url=image_url,
                               assertion_url=assertion_url, backend=backend, data=data or {})
    assertion.full_clean(exclude=["user", "badge_class"])
    with transaction.atomic():
        assertion.save()
        send_on_commit(badge_awarded, BadgeAssertion, user=user, assertion=assertion)
    return assertion


@dataclass(frozen=True)
class AssertionFilters:
    """What to keep of a learner's badges (the query parameters of docs/badges.rst).

    ``course_key`` is ``ANY_COURSE`` (no filter), ``None`` (only course-less badges)
    or a ``CourseKey``; ``slug`` empty means no badge-class filter.
    """

    course_key: object = ANY_COURSE
    slug: str = ""
    issuing_component: str = ""

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> AssertionFilters:
        """Read ``course_id``, ``slug`` and ``issuing_component`` the way Open edX did.

        ``course_id=*`` means every course. An absent or empty ``course_id`` means every
        course too, unless a ``slug`` key is present (even empty): then only badges
        without a course. ``issuing_component`` defaults to ``""`` and only counts
        with a non-empty slug. A course id that does not parse raises ``InvalidKey``.
        """
        raw_course = params.get("course_id") or ""
        if raw_course == "*":
            course_key = ANY_COURSE
        elif raw_course:
            try:
                course_key = CourseKey.from_string(raw_course)
            except InvalidKeyError as exc:
                raise InvalidKey(f"{raw_course!r} is not a valid course key.") from exc
        elif "slug" in params:
            course_key = None
        else:
            course_key = ANY_COURSE
        slug = params.get("slug") or ""
        return cls(course_key=course_key, slug=slug,
                   issuing_component=(params.get("issuing_component") or "") if slug else "")


def user_badge_assertions(user, filters: AssertionFilters = AssertionFilters()) -> QuerySet:
    """The badges awarded to ``user``, newest first, each with its badge class (one query per page).

    A course filter keeps the badges of the course spelled exactly so, letter case included,
    on every database: another spelling names no course (docs/decisions/0002).
    """
    queryset = BadgeAssertion.objects.filter(user=user).select_related("badge_class")
    if filters.course_key is None:
        queryset = queryset.filter(badge_class__course_key=CourseKeyField.Empty)
    elif filters.course_key is not ANY_COURSE:
        queryset = queryset.filter(spelled_exactly("badge_class__course_key", filters.course_key))
    if filters.slug:
        if "\x00" in filters.slug + filters.issuing_component:
            return queryset.none()  # no badge class has a NUL in its name, and PostgreSQL cannot compare one
        queryset = queryset.filter(badge_class__slug=filters.slug,
                                   badge_class__issuing_component=filters.issuing_component)
    return queryset.order_by("-created", "-pk")

"""The learners' records: certificates, course grades, block completions, badge classes and badges.

Certificates, grades and completions name their course by key only (no overview needed): a
certificate of a course deleted from the LMS is kept, as the certificates API shows those too.
Badge images are not copied: a badge class keeps the LMS's image file name, so this app's media
storage must be the LMS's (docs/adoption.rst). Badge assertions carry no natural key in the LMS;
one learner's award of one class is matched on its ``assertion_url``.
"""

from __future__ import annotations

from opaque_keys.edx.django.models import CourseKeyField

from ...applets.badges.models import BadgeAssertion, BadgeClass
from ...applets.certificates.models import Certificate, CertificateStatuses
from ...applets.progress.models import BlockCompletion, PersistentCourseGrade
from .source import Query
from .table import Table, Unmappable, users_and_courses
from .values import aware, course_key, flag, json_value, text, usage_key
from .writer import Mapped


def _map_certificate(row, prepared, context):
    status = text(row["status"])
    if status not in CertificateStatuses.ALL:
        raise Unmappable(f"unknown certificate status {status!r}")
    return Mapped(key=(context.user(prepared["users"], row["user_id"]), course_key(row["course_id"])), values={
        "verify_uuid": text(row["verify_uuid"])[:32], "download_uuid": text(row["download_uuid"])[:32],
        "download_url": text(row["download_url"])[:128], "grade": text(row["grade"])[:5],
        "distinction": flag(row["distinction"]), "status": status, "mode": text(row["mode"])[:32] or "honor",
        "name": text(row["name"])[:255], "error_reason": text(row["error_reason"])[:512],
        "created_date": aware(row["created_date"]), "modified_date": aware(row["modified_date"]),
    })


def _map_grade(row, prepared, context):
    percent = float(row["percent_grade"] or 0.0)
    if not 0.0 <= percent <= 1.0:
        raise Unmappable(f"percent grade {percent} is outside 0 to 1")
    return Mapped(key=(context.user(prepared["users"], row["user_id"]), course_key(row["course_id"])), values={
        "percent_grade": percent, "letter_grade": text(row["letter_grade"])[:255],
        "passed_timestamp": aware(row["passed_timestamp"]), "modified": aware(row["modified"]),
    })


def _map_completion(row, prepared, context):
    course = course_key(row["course_key"])
    block = usage_key(row["block_key"], course)
    completion = float(row["completion"])
    if not 0.0 <= completion <= 1.0:
        raise Unmappable(f"completion {completion} is outside 0 to 1")
    return Mapped(key=(course, block, context.user(prepared["users"], row["user_id"])), values={
        "block_type": text(row["block_type"])[:64] or block.block_type, "completion": completion,
        "created": aware(row["created"]), "modified": aware(row["modified"]),
    })


def _badge_course(raw):
    return course_key(raw) if text(raw) else CourseKeyField.Empty


def _map_badge_class(row, prepared, context):
    slug = text(row["slug"]).lower()
    if not slug:
        raise Unmappable("a badge class without a slug")
    return Mapped(key=(slug, text(row["issuing_component"]).lower(), _badge_course(row["course_id"])), values={
        "display_name": text(row["display_name"])[:255], "description": text(row["description"]),
        "criteria": text(row["criteria"]), "mode": text(row["mode"])[:100], "image": text(row["image"]),
    })


def _prepare_assertions(rows, context):
    prepared = users_and_courses()(rows, context)
    ids = sorted({int(row["badge_class_id"]) for row in rows})
    lms_classes = context.source.fetch(
        "SELECT id, slug, issuing_component, course_id FROM badges_badgeclass "
        f"WHERE id IN ({context.source.in_clause(ids)})", ids) if ids else []
    wanted = {}
    for lms_id, slug, component, raw_course in lms_classes:
        try:
            wanted[(text(slug).lower(), text(component).lower(), str(course_key(raw_course)) if text(raw_course)
                    else "")] = lms_id
        except Unmappable:
            continue
    ours = BadgeClass.objects.filter(slug__in={key[0] for key in wanted}).values_list(
        "pk", "slug", "issuing_component", "course_key")
    prepared["classes"] = {wanted[key]: pk for pk, slug, component, course in ours
                           if (key := (slug, component, str(course) if course else "")) in wanted}
    return prepared


def _map_assertion(row, prepared, context):
    badge_class_id = prepared["classes"].get(int(row["badge_class_id"]))
    if badge_class_id is None:
        raise Unmappable(f"badge class {row['badge_class_id']} was not adopted")
    return Mapped(key=(context.user(prepared["users"], row["user_id"]), badge_class_id,
                       text(row["assertion_url"])[:1024]), values={
        "data": json_value(row["data"], {}), "backend": text(row["backend"])[:50],
        "image_url": text(row["image_url"])[:1024],
        "created": aware(row["created"]), "modified": aware(row["modified"]),
    })


def record_tables() -> list[Table]:
    return [
        Table(query=Query("certificates_generatedcertificate", (
            "user_id", "course_id", "verify_uuid", "download_uuid", "download_url", "grade", "distinction", "status",
            "mode", "name", "error_reason", "created_date", "modified_date"), since_column="modified_date"),
            model=Certificate, key_fields=("user_id", "course_key"), map_row=_map_certificate,
            prepare=users_and_courses(), keep_dates=("created_date", "modified_date")),
        Table(query=Query("grades_persistentcoursegrade", ("user_id", "course_id", "percent_grade", "letter_grade",
                                                           "passed_timestamp", "modified"), since_column="modified"),
              model=PersistentCourseGrade, key_fields=("user_id", "course_key"), map_row=_map_grade,
              prepare=users_and_courses(), keep_dates=("modified",)),
        Table(query=Query("completion_blockcompletion", ("user_id", "course_key", "block_key", "block_type",
                                                         "completion", "created", "modified"),
                          since_column="modified"),
              model=BlockCompletion, key_fields=("course_key", "block_key", "user_id"), map_row=_map_completion,
              prepare=users_and_courses(), keep_dates=("created", "modified")),
        Table(query=Query("badges_badgeclass", ("slug", "issuing_component", "display_name", "course_id",
                                                "description", "criteria", "mode", "image")),
              model=BadgeClass, key_fields=("slug", "issuing_component", "course_key"), map_row=_map_badge_class),
        Table(query=Query("badges_badgeassertion", ("user_id", "badge_class_id", "data", "backend", "image_url",
                                                    "assertion_url", "created", "modified"), since_column="modified"),
              model=BadgeAssertion, key_fields=("user_id", "badge_class_id", "assertion_url"),
              map_row=_map_assertion, prepare=_prepare_assertions, keep_dates=("created", "modified")),
    ]

"""The course tables: overviews, modes, roles, enrollments, their celebrations and the learners' goals.

An overview is written from ``course_overviews_courseoverview`` for a course that has no outline
here, so the enrollment, certificate and mobile endpoints know it. A course whose outline was
imported from its OLX export keeps the overview the import wrote: the import reads the same
course content, and re-importing on publish keeps the two together.
"""

from __future__ import annotations

import uuid

from opaque_keys.edx.django.models import CourseKeyField

from ...applets.courses.api import COURSE_ROLES
from ...applets.courses.models import Block, Course, CourseAccessRole, CourseMode
from ...applets.engagement.models import CourseEnrollmentCelebration, CourseGoal
from ...applets.enrollments.models import Enrollment
from .source import Query
from .table import Ignored, Table, Unmappable, users_and_courses
from .values import a_uuid, aware, course_key, flag, json_value, number, text
from .writer import Mapped

OVERVIEW_COLUMNS = (
    "display_name", "display_number_with_default", "display_org_with_default", "start", "end",
    "advertised_start", "course_image_url", "banner_image_url", "social_sharing_url", "certificates_display_behavior",
    "certificates_show_before_end", "cert_html_view_enabled", "has_any_active_web_certificate",
    "certificate_available_date", "lowest_passing_grade", "days_early_for_beta", "mobile_available",
    "visible_to_staff_only", "_pre_requisite_courses_json", "enrollment_start", "enrollment_end",
    "enrollment_domain", "invitation_only", "max_student_enrollments_allowed", "catalog_visibility",
    "short_description", "course_video_url", "effort", "self_paced", "marketing_url", "language",
    "entrance_exam_enabled", "entrance_exam_id", "entrance_exam_minimum_score_pct",
)


def _prepare_overviews(rows, context):
    keys = {}
    for row in rows:
        try:
            keys[course_key(row["_key"])] = row["_key"]
        except Unmappable:
            continue
    imported = set(Block.objects.filter(course__course_key__in=list(keys)).values_list("course__course_key", flat=True)
                   .distinct())
    return {"imported": {keys[key] for key in imported if key in keys}}


def _map_overview(row, prepared, context):
    key = course_key(row["_key"])
    if row["_key"] in prepared["imported"]:
        raise Ignored("the course's outline was imported from its export: the import's overview is kept")
    lowest = row["lowest_passing_grade"]
    limit = row["max_student_enrollments_allowed"]
    return Mapped(key=(key,), values={
        "org": key.org, "number": key.course, "run": key.run,
        "display_name": text(row["display_name"])[:255],
        "display_number": text(row["display_number_with_default"])[:255],
        "display_org": text(row["display_org_with_default"])[:255],
        "start": aware(row["start"]), "end": aware(row["end"]),
        "enrollment_start": aware(row["enrollment_start"]), "enrollment_end": aware(row["enrollment_end"]),
        "advertised_start": text(row["advertised_start"])[:255], "self_paced": flag(row["self_paced"]),
        "short_description": text(row["short_description"]), "effort": text(row["effort"])[:255],
        "language": text(row["language"])[:16], "course_image_url": text(row["course_image_url"])[:1024],
        "banner_image_url": text(row["banner_image_url"])[:1024], "video_url": text(row["course_video_url"])[:1024],
        "marketing_url": text(row["marketing_url"])[:1024],
        "social_sharing_url": text(row["social_sharing_url"])[:1024],
        "mobile_available": flag(row["mobile_available"]), "visible_to_staff_only": flag(row["visible_to_staff_only"]),
        "invitation_only": flag(row["invitation_only"]), "days_early_for_beta": number(row["days_early_for_beta"]),
        "catalog_visibility": text(row["catalog_visibility"]) or "both",
        "certificate_available_date": aware(row["certificate_available_date"]),
        "certificates_display_behavior": text(row["certificates_display_behavior"]) or "end",
        "certificates_show_before_end": flag(row["certificates_show_before_end"]),
        "cert_html_view_enabled": flag(row["cert_html_view_enabled"]),
        "has_any_active_web_certificate": flag(row["has_any_active_web_certificate"]),
        # The LMS keeps the lowest passing grade only; one "Pass" cutoff says the same.
        "grade_cutoffs": {"Pass": float(lowest)} if lowest is not None else {},
        "entrance_exam_enabled": flag(row["entrance_exam_enabled"]),
        "entrance_exam_id": text(row["entrance_exam_id"])[:255],
        "entrance_exam_minimum_score_pct": number(row["entrance_exam_minimum_score_pct"], 0.65),
        "pre_requisite_courses": json_value(row["_pre_requisite_courses_json"], []),
        "max_student_enrollments_allowed": int(limit) if limit is not None else None,
        "enrollment_domain": text(row["enrollment_domain"])[:255],
    })


def _map_mode(row, prepared, context):
    return Mapped(key=(context.course(prepared["courses"], row["course_id"]), text(row["mode_slug"]),
                       text(row["currency"]) or "usd"), values={
        "mode_display_name": text(row["mode_display_name"])[:255], "min_price": int(row["min_price"] or 0),
        "expiration_datetime": aware(row["expiration_datetime"]), "description": text(row["description"]),
        "sku": row["sku"], "android_sku": row["android_sku"], "ios_sku": row["ios_sku"], "bulk_sku": row["bulk_sku"],
    })


def _map_role(row, prepared, context):
    role = text(row["role"])
    if role not in COURSE_ROLES:
        raise Ignored("a role the learner APIs do not read")
    user_id = context.user(prepared["users"], row["user_id"])
    if text(row["course_id"]):
        key = course_key(row["course_id"])
        return Mapped(key=(user_id, text(row["org"]) or key.org, key, role), values={})
    if not text(row["org"]):
        raise Unmappable("a role with neither a course nor an org")
    return Mapped(key=(user_id, text(row["org"]), CourseKeyField.Empty, role), values={})


def _map_enrollment(row, prepared, context):
    values = {"mode": text(row["mode"])[:100] or "audit", "is_active": flag(row["is_active"])}
    if row["created"] is not None:
        values["created"] = aware(row["created"])
    return Mapped(key=(context.user(prepared["users"], row["user_id"]),
                       context.course(prepared["courses"], row["course_id"])), values=values)


def _prepare_celebrations(rows, context):
    prepared = users_and_courses("user_id", "course_id")(rows, context)
    enrollments = Enrollment.objects.filter(user_id__in=set(prepared["users"].values()),
                                            course_id__in=set(prepared["courses"].values()))
    prepared["enrollments"] = {(user_id, course_id): pk
                               for pk, user_id, course_id in enrollments.values_list("pk", "user_id", "course_id")}
    return prepared


def _map_celebration(row, prepared, context):
    pair = (context.user(prepared["users"], row["user_id"]), context.course(prepared["courses"], row["course_id"]))
    enrollment_id = prepared["enrollments"].get(pair)
    if enrollment_id is None:
        raise Unmappable(f"enrollment {row['enrollment_id']} was not adopted")
    return Mapped(key=(enrollment_id,), values={
        "celebrate_first_section": flag(row["celebrate_first_section"]),
        "celebrate_weekly_goal": flag(row["celebrate_weekly_goal"]),
        "created": aware(row["created"]), "modified": aware(row["modified"]),
    })


def _map_goal(row, prepared, context):
    return Mapped(key=(context.user(prepared["users"], row["user_id"]), course_key(row["course_key"])), values={
        "days_per_week": max(int(row["days_per_week"] or 0), 0),
        "subscribed_to_reminders": flag(row["subscribed_to_reminders"]),
    }, create_only={"unsubscribe_token": a_uuid(row["unsubscribe_token"]) or uuid.uuid4()})


def course_tables() -> list[Table]:
    return [
        Table(query=Query("course_overviews_courseoverview", OVERVIEW_COLUMNS, since_column="modified"),
              model=Course, key_fields=("course_key",), map_row=_map_overview, prepare=_prepare_overviews,
              touch=("modified",)),
        Table(query=Query("course_modes_coursemode", ("course_id", "mode_slug", "currency", "mode_display_name",
                                                      "min_price", "expiration_datetime", "description", "sku",
                                                      "android_sku", "ios_sku", "bulk_sku")),
              model=CourseMode, key_fields=("course_id", "mode_slug", "currency"), map_row=_map_mode,
              prepare=users_and_courses(None, "course_id")),
        Table(query=Query("student_courseaccessrole", ("user_id", "org", "course_id", "role")),
              model=CourseAccessRole, key_fields=("user_id", "org", "course_key", "role"), map_row=_map_role,
              prepare=users_and_courses()),
        Table(query=Query("student_courseenrollment", ("user_id", "course_id", "created", "is_active", "mode")),
              model=Enrollment, key_fields=("user_id", "course_id"), map_row=_map_enrollment,
              prepare=users_and_courses("user_id", "course_id"), touch=("modified",)),
        Table(query=Query("student_courseenrollmentcelebration",
                          ("c.enrollment_id", "c.celebrate_first_section", "c.celebrate_weekly_goal", "c.created",
                           "c.modified", "e.user_id", "e.course_id"), key="c.id",
                          join=" c JOIN student_courseenrollment e ON e.id = c.enrollment_id",
                          since_column="c.modified"),
              model=CourseEnrollmentCelebration, key_fields=("enrollment_id",), map_row=_map_celebration,
              prepare=_prepare_celebrations, keep_dates=("created", "modified")),
        Table(query=Query("course_goals_coursegoal", ("user_id", "course_key", "days_per_week",
                                                      "subscribed_to_reminders", "unsubscribe_token")),
              model=CourseGoal, key_fields=("user_id", "course_key"), map_row=_map_goal,
              prepare=users_and_courses()),
    ]

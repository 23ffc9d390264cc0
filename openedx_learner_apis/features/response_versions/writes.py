"""Every save and delete of the app's rows (and of the user row) replaces the tokens response versions read.

A row with a ``user`` replaces its learner's token; a celebration its enrollment's learner's;
an enrollment also its course's population token; any other row of the app (courses, modes,
blocks, badge classes, configuration...) the shared token. Receivers are connected per model
from the app registry, so a model added later is covered without a list to keep up to date.
Bulk writes are covered by the querysets of :mod:`openedx_learner_apis.core.versions`.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from ...applets.courses.models import Course
from ...applets.engagement.models import CourseEnrollmentCelebration
from ...applets.enrollments.models import Enrollment
from ...core.versions import invalidate_learners, invalidate_populations, invalidate_shared_data

APP_LABEL = "openedx_learner_apis"


def _owned_by_a_learner(model) -> bool:
    field = next((field for field in model._meta.concrete_fields if field.name == "user"), None)
    return field is not None and field.is_relation and field.related_model is get_user_model()


def _learner_row_written(sender, instance, **kwargs) -> None:
    invalidate_learners([instance.user_id])


def _enrollment_written(sender, instance, **kwargs) -> None:
    invalidate_learners([instance.user_id])
    course = instance._state.fields_cache.get("course")
    course_key = (course.course_key if course is not None else
                  Course._base_manager.filter(pk=instance.course_id).values_list("course_key", flat=True).first())
    # When the course is gone with it, no version of the course is asked for again.
    invalidate_populations([course_key])


def _celebration_written(sender, instance, **kwargs) -> None:
    enrollment = instance._state.fields_cache.get("enrollment")
    if enrollment is not None:
        user_id = enrollment.user_id
    else:
        user_id = (Enrollment._base_manager.filter(pk=instance.enrollment_id)
                   .values_list("user_id", flat=True).first())
    # When the enrollment is gone with it, the enrollment's own delete replaced the token.
    invalidate_learners([user_id])


def _user_written(sender, instance, **kwargs) -> None:
    invalidate_learners([instance.pk])


def _shared_row_written(sender, **kwargs) -> None:
    invalidate_shared_data()


def receiver_for(model):
    """The receiver that replaces the tokens a save or delete of ``model`` changes."""
    if model is Enrollment:
        return _enrollment_written
    if model is CourseEnrollmentCelebration:
        return _celebration_written
    if model is get_user_model():
        return _user_written
    if _owned_by_a_learner(model):
        return _learner_row_written
    return _shared_row_written


def connect_version_receivers() -> None:
    """Connect the receivers of every model of the app and of the user model (idempotent)."""
    for model in [*apps.get_app_config(APP_LABEL).get_models(), get_user_model()]:
        receiver = receiver_for(model)
        label = model._meta.label_lower
        post_save.connect(receiver, sender=model, dispatch_uid=f"{APP_LABEL}.versions.{label}.saved")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{APP_LABEL}.versions.{label}.deleted")

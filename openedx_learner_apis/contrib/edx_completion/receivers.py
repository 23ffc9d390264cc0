"""Copy each write of edx-completion's ``BlockCompletion`` into the progress applet, as it happens.

edx-completion has no signal of its own: its manager (``submit_completion``,
``submit_batch_completion``) and the LMS's handlers save the model, so ``post_save`` and
``post_delete`` of that model see every write made through the ORM, in the same transaction
as the LMS's own row. The copy keeps the LMS row's ``created`` and ``modified`` times, so the
"latest completion" the resume point and the mobile course status read is the LMS's.

The copy runs in a savepoint and logs instead of raising: a failure here must not undo the
LMS's write. Bulk updates and raw SQL send no signal and are followed only by re-running
the adoption command.
"""

from __future__ import annotations

import logging

from completion.models import BlockCompletion as LmsBlockCompletion
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from ... import api
from ...applets.progress.models import BlockCompletion
from ...conf import learner_apis_settings

log = logging.getLogger(__name__)


def mirror_completion(lms_completion) -> BlockCompletion | None:
    """Store one LMS completion row in the progress applet; ``None`` when its value is out of range."""
    value = float(lms_completion.completion)
    block_key = lms_completion.full_block_key
    if not 0.0 <= value <= 1.0:
        log.warning("Ignoring the completion %r of %s for user id %s: not between 0.0 and 1.0.",
                    value, block_key, lms_completion.user_id)
        return None
    record = api.record_completion(lms_completion.user, block_key, value)
    BlockCompletion.objects.filter(pk=record.pk).update(created=lms_completion.created,
                                                        modified=lms_completion.modified)
    record.created, record.modified = lms_completion.created, lms_completion.modified
    return record


def forget_completion(lms_completion) -> int:
    """Delete the copy of an LMS completion row; the number of rows deleted."""
    deleted, _ = BlockCompletion.objects.filter(user_id=lms_completion.user_id,
                                                block_key=lms_completion.full_block_key).delete()
    return deleted


def _safely(action, lms_completion) -> None:
    if not learner_apis_settings.MIRROR_COMPLETIONS:
        return
    try:
        with transaction.atomic():
            action(lms_completion)
    except Exception:  # noqa: BLE001  (the LMS's write must not fail because its copy did)
        log.exception("Could not copy the completion of %s for user id %s.", lms_completion.block_key,
                      lms_completion.user_id)


def completion_saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures being loaded
        _safely(mirror_completion, instance)


def completion_deleted(sender, instance, **kwargs):
    _safely(forget_completion, instance)


def connect_receivers() -> None:
    post_save.connect(completion_saved, sender=LmsBlockCompletion,
                      dispatch_uid="openedx_learner_apis.contrib.edx_completion.saved")
    post_delete.connect(completion_deleted, sender=LmsBlockCompletion,
                        dispatch_uid="openedx_learner_apis.contrib.edx_completion.deleted")

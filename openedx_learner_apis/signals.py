"""Signals a host may connect to; each is sent after the writing transaction commits."""

from django.dispatch import Signal

# sender: the user model class; kwargs: user, uploaded_at
profile_image_uploaded = Signal()
# kwargs: user
profile_image_removed = Signal()
# kwargs: user, course_key, block_key (the last visited module)
course_status_updated = Signal()
# kwargs: user, course_key, celebration (the enrollment celebration row)
celebration_updated = Signal()
# kwargs: user, course_key, mode, is_active, created (bool)
enrollment_changed = Signal()
# kwargs: user, course_key, certificate
certificate_changed = Signal()
# kwargs: user, assertion
badge_awarded = Signal()


def send_on_commit(signal: Signal, sender, **kwargs):
    """Send ``signal`` once the current transaction commits (at once outside a transaction)."""
    from django.db import transaction

    transaction.on_commit(lambda: signal.send(sender=sender, **kwargs))

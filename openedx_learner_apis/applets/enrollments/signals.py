"""Signals the enrollments applet sends to the applets above it, inside the writing transaction.

Applets above enrollments (engagement) react to an enrollment without enrollments importing
them. Unlike the host-facing signals of ``openedx_learner_apis.signals``, these are sent
before the transaction commits, so a receiver's writes commit or roll back with the enrollment.
"""

from __future__ import annotations

from django.dispatch import Signal

__all__ = ["enrollment_created"]

# Sent by ``enroll()`` with ``enrollment`` when it creates the enrollment row.
enrollment_created = Signal()

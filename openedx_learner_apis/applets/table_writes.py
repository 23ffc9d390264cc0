"""Querysets that announce the writes Django sends no model signal for, so whole-table caches follow them.

``update()`` (which ``bulk_update()`` runs) and ``bulk_create()`` send :data:`table_written`
with the model as sender once the rows are written. Raw SQL still sends nothing.
"""

from __future__ import annotations

from django.db import models
from django.dispatch import Signal

__all__ = ["AnnouncedWritesQuerySet", "table_written"]

table_written = Signal()


class AnnouncedWritesQuerySet(models.QuerySet):
    """A queryset whose bulk writes send :data:`table_written`."""

    def update(self, **kwargs):
        count = super().update(**kwargs)
        table_written.send(sender=self.model)
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        table_written.send(sender=self.model)
        return created

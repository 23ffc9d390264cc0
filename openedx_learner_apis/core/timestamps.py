"""Abstract bases for rows that date their own writes.

``modified`` (set on every save) is what the caches, the "newest progress" indexes and the
admin read to tell how fresh a row is; ``created`` (set on the first save) dates the row itself.
Django fills both, so no caller passes them. A model whose creation date has another rule (a
default a caller may override, or an index) declares its own ``created`` next to ``LastModified``.
"""

from django.db import models


class LastModified(models.Model):
    """A row that dates its last write in ``modified``."""

    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Timestamped(LastModified):
    """A row that dates its creation in ``created`` and its last write in ``modified``."""

    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

"""Where an interrupted adoption stopped: one checkpoint per LMS database and table."""

from __future__ import annotations

from django.db import models


class AdoptionCheckpoint(models.Model):
    """The last primary key of a table adopted from an LMS database, and whether the table is done.

    A run that completes every table deletes its checkpoints, so the next run reads everything
    again (and finds nothing to change); an interrupted run leaves them, and the next run with the
    same ``--since`` goes on after ``last_key``.

    .. no_pii:
    """

    source = models.CharField(max_length=255, help_text="The LMS database: its alias and name.")
    table = models.CharField(max_length=64)
    since = models.CharField(max_length=64, blank=True, help_text="The --since of the run, ISO 8601.")
    last_key = models.CharField(max_length=255, blank=True)
    finished = models.BooleanField(default=False)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "openedx_learner_apis"
        constraints = [models.UniqueConstraint(fields=["source", "table"], name="olapi_adoption_checkpoint_uniq")]

    def __str__(self):
        return f"{self.source}:{self.table} after {self.last_key!r}{' (done)' if self.finished else ''}"

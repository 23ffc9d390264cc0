"""The admin shape of a row a learner owns: found by username, its user entered by id.

A site holds millions of users, so a drop-down of them would not render; the user is a raw id field.
"""

from django.contrib import admin


class LearnerRowAdmin(admin.ModelAdmin):
    """A row a learner owns: searched by the learner's username, its user entered by id."""

    search_fields = ["user__username"]
    raw_id_fields = ["user"]


def register_learner_rows(columns_by_model):
    """Registers each model with a ``LearnerRowAdmin`` that lists the given columns, in that order."""
    for model, columns in columns_by_model.items():
        admin_class = type(f"{model.__name__}Admin", (LearnerRowAdmin,), {"list_display": list(columns)})
        admin.site.register(model, admin_class)

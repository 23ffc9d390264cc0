"""The three configuration tables become django-config-models ``ConfigurationModel`` tables.

Every existing row is kept. ``MobileConfig`` rows gain ``change_date`` (their old ``modified``
date: when the value was last set), ``enabled`` (on: each name stays in ``configs``) and an
empty ``changed_by``; a name may now have several rows, the latest counting. The other two
tables keep their rows and columns; ``CourseDurationLimitConfig`` gains an empty ``changed_by``.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def date_mobile_configs(apps, schema_editor):
    """A kept ``MobileConfig`` row is dated by its last write, as config_models dates a new row."""
    mobile_config = apps.get_model("openedx_learner_apis", "MobileConfig")
    db = schema_editor.connection.alias
    for row in mobile_config.objects.using(db).only("pk", "modified"):
        mobile_config.objects.using(db).filter(pk=row.pk).update(change_date=row.modified, enabled=True)


class Migration(migrations.Migration):

    dependencies = [
        ("openedx_learner_apis", "0004_account_fields_positions_info_pages"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # MobileConfig: the config_models columns, filled for the rows already there.
        migrations.AddField(
            model_name="mobileconfig",
            name="change_date",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now,
                                       verbose_name="Change date"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="mobileconfig",
            name="enabled",
            field=models.BooleanField(default=True, verbose_name="Enabled"),
        ),
        migrations.AddField(
            model_name="mobileconfig",
            name="changed_by",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    to=settings.AUTH_USER_MODEL, verbose_name="Changed by"),
        ),
        migrations.RunPython(date_mobile_configs, migrations.RunPython.noop),
        migrations.RemoveField(model_name="mobileconfig", name="created"),
        migrations.RemoveField(model_name="mobileconfig", name="modified"),
        migrations.AlterField(
            model_name="mobileconfig",
            name="name",
            field=models.CharField(db_index=True, max_length=255),
        ),
        # CourseDurationLimitConfig: who made a change.
        migrations.AddField(
            model_name="coursedurationlimitconfig",
            name="changed_by",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    to=settings.AUTH_USER_MODEL, verbose_name="Changed by"),
        ),
        migrations.AlterField(
            model_name="coursedurationlimitconfig",
            name="change_date",
            field=models.DateTimeField(auto_now_add=True, verbose_name="Change date"),
        ),
        migrations.AlterField(
            model_name="coursedurationlimitconfig",
            name="enabled",
            field=models.BooleanField(default=False, verbose_name="Enabled"),
        ),
        # IgnoreMobileAvailableFlagConfig: config_models' own column definitions.
        migrations.AlterField(
            model_name="ignoremobileavailableflagconfig",
            name="change_date",
            field=models.DateTimeField(auto_now_add=True, verbose_name="Change date"),
        ),
        migrations.AlterField(
            model_name="ignoremobileavailableflagconfig",
            name="changed_by",
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    to=settings.AUTH_USER_MODEL, verbose_name="Changed by"),
        ),
        migrations.AlterField(
            model_name="ignoremobileavailableflagconfig",
            name="enabled",
            field=models.BooleanField(default=False, verbose_name="Enabled"),
        ),
        migrations.AlterModelOptions(name="coursedurationlimitconfig", options={"ordering": ("-change_date",)}),
        migrations.AlterModelOptions(name="ignoremobileavailableflagconfig", options={"ordering": ("-change_date",)}),
        migrations.AlterModelOptions(name="mobileconfig", options={"ordering": ("-change_date",)}),
    ]

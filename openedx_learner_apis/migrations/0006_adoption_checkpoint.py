"""``adopt_openedx_data`` keeps one checkpoint per LMS table, so an interrupted run resumes where it stopped."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("openedx_learner_apis", "0005_configuration_models"),
    ]

    operations = [
        migrations.CreateModel(
            name="AdoptionCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source", models.CharField(help_text="The LMS database: its alias and name.", max_length=255)),
                ("table", models.CharField(max_length=64)),
                ("since", models.CharField(blank=True, help_text="The --since of the run, ISO 8601.", max_length=64)),
                ("last_key", models.CharField(blank=True, max_length=255)),
                ("finished", models.BooleanField(default=False)),
                ("modified", models.DateTimeField(auto_now=True)),
            ],
            options={"constraints": [
                models.UniqueConstraint(fields=("source", "table"), name="olapi_adoption_checkpoint_uniq"),
            ]},
        ),
    ]

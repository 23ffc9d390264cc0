"""The schema changes of the unreleased cycle after 0003, in one migration.

Learner profiles gain the account fields of the accounts API, courseware positions the date the
client gave with its last course-status update (so a stale update cannot move the position
back), courses their info pages (mobile handouts and updates) read from the course export, and
``adopt_openedx_data`` its checkpoints.

The three development migrations that first held these operations were never released, so no
installed database knows them. A development database that applied them already has this schema:
``manage.py migrate --fake openedx_learner_apis 0004_account_fields_positions_info_pages`` records it.
"""
import django.db.models.deletion
from django.db import migrations, models

#: The account fields of ``LearnerProfile``: (name, field), added in this order.
LEARNER_PROFILE_ACCOUNT_FIELDS = (
    ('bio', models.TextField(blank=True, default='')),
    ('country', models.CharField(blank=True, default='', max_length=2)),
    ('language_proficiencies', models.JSONField(blank=True, default=list)),
    ('level_of_education', models.CharField(blank=True, default='', max_length=6)),
    ('social_links', models.JSONField(blank=True, default=dict)),
)

POSITION_MODIFICATION_DATE = models.DateTimeField(
    blank=True, null=True,
    help_text="The client's date of the update that last wrote this row, if it gave one.")

COURSE_INFO_PAGE_FIELDS = [
    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
    ('name', models.CharField(help_text='handouts or updates', max_length=64)),
    ('data', models.TextField(blank=True)),
    ('items', models.JSONField(blank=True, default=list)),
    ('modified', models.DateTimeField(auto_now=True)),
    ('course', models.ForeignKey(
        on_delete=django.db.models.deletion.CASCADE, related_name='info_pages', to='openedx_learner_apis.course')),
]


class Migration(migrations.Migration):
    """Account fields, the position's client date and course info pages."""

    dependencies = [('openedx_learner_apis', '0003_progress_recent_indexes')]
    operations = [
        *(
            migrations.AddField(model_name='learnerprofile', name=name, field=field)
            for name, field in LEARNER_PROFILE_ACCOUNT_FIELDS
        ),
        migrations.AddField(
            model_name='coursewareposition', name='modification_date', field=POSITION_MODIFICATION_DATE),
        migrations.CreateModel(
            name='CourseInfoPage',
            fields=COURSE_INFO_PAGE_FIELDS,
            options={'constraints': [
                models.UniqueConstraint(fields=('course', 'name'), name='olapi_info_page_course_name_uniq'),
            ]},
        ),
        migrations.CreateModel(
            name='AdoptionCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(help_text='The LMS database: its alias and name.', max_length=255)),
                ('table', models.CharField(max_length=64)),
                ('since', models.CharField(blank=True, help_text='The --since of the run, ISO 8601.', max_length=64)),
                ('last_key', models.CharField(blank=True, max_length=255)),
                ('finished', models.BooleanField(default=False)),
                ('modified', models.DateTimeField(auto_now=True)),
            ],
            options={'constraints': [
                models.UniqueConstraint(fields=('source', 'table'), name='olapi_adoption_checkpoint_uniq'),
            ]},
        ),
    ]

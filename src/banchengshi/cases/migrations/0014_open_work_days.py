"""Open work counted by unit and deadline day (cases.open_work): the table, the triggers on
WorkItem that keep it, and the counts of the work already open."""

import django.db.models.deletion
from django.db import migrations, models

from banchengshi.cases.open_work import create_triggers, drop_triggers


def create(apps, schema_editor):
    create_triggers(schema_editor)


def drop(apps, schema_editor):
    drop_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0013_work_due"),
        ("org", "0006_encrypt_mobiles_and_secrets"),
    ]

    operations = [
        migrations.CreateModel(
            name="OpenWorkDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("day", models.DateField()),
                ("items", models.IntegerField()),
                (
                    "unit",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="org.unit",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["unit", "day"], name="open_work_unit_day")],
            },
        ),
        migrations.RunPython(create, drop),
    ]

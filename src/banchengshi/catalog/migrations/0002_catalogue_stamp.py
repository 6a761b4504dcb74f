"""The catalogue's stamp (catalog.stamp): its row and the triggers on the matters that change
it."""

from django.db import migrations, models

from banchengshi.catalog.stamp import create_triggers, drop_triggers


def create(apps, schema_editor):
    create_triggers(schema_editor)


def drop(apps, schema_editor):
    drop_triggers(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueStamp",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("stamp", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create, drop),
    ]

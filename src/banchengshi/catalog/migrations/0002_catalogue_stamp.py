"""The catalogue's stamp (catalog.stamp). Its row and the triggers that renew it are made on
post_migrate, after this migration; going back drops the triggers before the table."""

from django.db import migrations, models

WATCHED = ("catalog_matter", "org_unit")


def drop_triggers(apps, schema_editor):
    for table in WATCHED:
        if schema_editor.connection.vendor == "sqlite":
            for name in ("ai", "au", "ad"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp_{name}")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_stamp ON {table}")
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS catalog_cataloguestamp_renew()")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("org", "0006_encrypt_mobiles_and_secrets"),
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
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]

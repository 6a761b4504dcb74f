"""The staff search's index: a CaseSearch row of tokens per case, the database's full-text
index over it (FTS5 on SQLite, a GIN-indexed tsvector on PostgreSQL; textsearch.index), and
the rows of the cases that already exist."""

import django.db.models.deletion
from django.db import migrations, models

from banchengshi.cases.search import CASE_INDEX, search_fields

CHUNK = 2000


def create_index(apps, schema_editor):
    CASE_INDEX.create(schema_editor)


def drop_index(apps, schema_editor):
    CASE_INDEX.drop(schema_editor)


def fill_rows(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseSearch = apps.get_model("cases", "CaseSearch")
    last = 0
    while True:
        chunk = list(
            Case.objects.using(schema_editor.connection.alias)
            .filter(pk__gt=last)
            .select_related("matter")
            .order_by("pk")[:CHUNK]
        )
        if not chunk:
            return
        CaseSearch.objects.using(schema_editor.connection.alias).bulk_create(
            [
                CaseSearch(
                    case_id=case.pk,
                    **search_fields(
                        tracking_no=case.tracking_no,
                        phone=case.phone,
                        petitioner_name=case.petitioner_name,
                        enterprise_name=case.enterprise_name,
                        matter_name=case.matter.name if case.matter else "",
                        matter_text=case.matter_text,
                        description=case.description,
                        request=case.request,
                    ),
                )
                for case in chunk
            ]
        )
        last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_petitioner_rating"),
        ("catalog", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseSearch",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_row",
                        serialize=False,
                        to="cases.case",
                    ),
                ),
                ("ids", models.TextField()),
                ("names", models.TextField()),
                ("matter", models.TextField()),
                ("body", models.TextField()),
            ],
        ),
        migrations.RunPython(create_index, drop_index),
        migrations.RunPython(fill_rows, migrations.RunPython.noop),
    ]

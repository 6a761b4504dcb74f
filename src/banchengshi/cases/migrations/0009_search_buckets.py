"""The search vector on PostgreSQL gains its bucket lexeme (textsearch.index: the newest
matches of a common word are looked for in the newest buckets first). The column is
generated, so it is dropped and added again with its GIN index: PostgreSQL rewrites the
table once. Nothing changes on SQLite."""

from django.db import migrations

from banchengshi.cases.search import CASE_INDEX


def rebuild_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        CASE_INDEX.drop(schema_editor)
        CASE_INDEX.create(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_tablet_handoff")]

    operations = [migrations.RunPython(rebuild_vector, migrations.RunPython.noop)]

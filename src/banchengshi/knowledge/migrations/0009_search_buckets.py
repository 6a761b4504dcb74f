"""The search vector on PostgreSQL gains its bucket lexeme (textsearch.index: the newest
matches of a common word are looked for in the newest buckets first). The column is
generated, so it is dropped and added again with its GIN index: PostgreSQL rewrites the
table once. Nothing changes on SQLite."""

from django.db import migrations

from banchengshi.knowledge.search import ENTRY_INDEX


def rebuild_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        ENTRY_INDEX.drop(schema_editor)
        ENTRY_INDEX.create(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0008_remote_window_channel")]

    operations = [migrations.RunPython(rebuild_vector, migrations.RunPython.noop)]

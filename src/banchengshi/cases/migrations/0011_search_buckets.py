"""The case search's rows and index for searches whose cost does not grow with the cases:

- a name's token gains its mark ("n", cases.search.NAME_MARK), so that a name's start no
  longer expands to every word of the texts that begins the same;
- on PostgreSQL the search vector gains its bucket lexeme (textsearch.index: the newest
  matches of a common word are looked for in the newest buckets first). The column is
  generated, so it is dropped and added again with its GIN index, after the names are
  rewritten: PostgreSQL rewrites the table once. On SQLite the FTS5 triggers follow the
  UPDATE."""

from django.db import migrations

from banchengshi.cases.search import CASE_INDEX, NAME_MARK


def mark_names_and_rebuild(apps, schema_editor):
    table = apps.get_model("cases", "CaseSearch")._meta.db_table
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        CASE_INDEX.drop(schema_editor)
    # Names are tokens of letters and digits separated by single spaces.
    schema_editor.execute(
        f"UPDATE {table} SET names = %s || replace(names, ' ', %s) WHERE names <> ''",
        (NAME_MARK, f" {NAME_MARK}"),
    )
    if postgresql:
        CASE_INDEX.create(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("cases", "0010_remote_window_channel")]

    operations = [migrations.RunPython(mark_names_and_rebuild, migrations.RunPython.noop)]

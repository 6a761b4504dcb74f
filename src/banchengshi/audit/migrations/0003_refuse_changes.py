"""On PostgreSQL, the database itself refuses to change or delete audit events (R-REP-5), so a
statement written by hand or by a faulty release cannot rewrite the trail; the model's save()
and delete() guards only stop the ORM. SQLite has no such guard: there the anchors
(audit.anchors) are what detects a rewrite.

TRUNCATE is refused too, unless the session sets `banchengshi.allow_audit_reset = on`: Django's
flush (the test suite between transactional tests, `banchengshi flush`) truncates every table
in one statement, and a deliberate reset of a whole database is a different act from removing
the trail of a live one. The table's owner can still disable the triggers; docs/operations.md
says how to run the application under a role that cannot."""

from django.db import migrations

CREATE = """
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE'
       AND coalesce(current_setting('banchengshi.allow_audit_reset', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit events are never changed or deleted (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_event_immutable BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_immutable ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_refuse_change();
"""


def _on_postgresql(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_head")]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]

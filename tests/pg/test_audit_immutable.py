"""On PostgreSQL the database refuses to change, delete or truncate audit events (audit
migration 0003), whatever statement tries: the ORM's save()/delete() guards are not all."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from tests.cases.conftest import CaseBuilder, Org

TABLE = connection.ops.quote_name(AuditEvent._meta.db_table)


def refused(statement: str, params: list[object] | None = None) -> str:
    with pytest.raises(DatabaseError) as info, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params or [])
    return str(info.value).splitlines()[0]


def test_a_raw_update_delete_or_truncate_is_refused(org: Org, cases: CaseBuilder) -> None:
    cases.closed()
    assert refused(f"UPDATE {TABLE} SET actor_label = %s WHERE seq = 3", ["mallory"]) == (
        "audit events are never changed or deleted (UPDATE refused)"
    )
    assert refused(f"DELETE FROM {TABLE} WHERE seq = 7") == (
        "audit events are never changed or deleted (DELETE refused)"
    )
    # The test suite's sessions allow Django's flush to reset the database; a session that
    # does not is refused.
    statement = "SET LOCAL banchengshi.allow_audit_reset = 'off'; SET CONSTRAINTS ALL IMMEDIATE;"
    assert refused(f"{statement} TRUNCATE {TABLE} CASCADE") == (
        "audit events are never changed or deleted (TRUNCATE refused)"
    )
    assert AuditEvent.objects.count() == 7
    assert AuditEvent.objects.get(seq=3).actor_label != "mallory"
    assert verify_chain().ok


def test_the_orm_bulk_update_is_refused_too(org: Org, cases: CaseBuilder) -> None:
    cases.register()
    with pytest.raises(DatabaseError, match=r"UPDATE refused"), transaction.atomic():
        AuditEvent.objects.update(actor_label="mallory")
    with pytest.raises(DatabaseError, match=r"DELETE refused"), transaction.atomic():
        AuditEvent.objects.all()._raw_delete(using="default")
    assert AuditEvent.objects.filter(actor_label="mallory").count() == 0

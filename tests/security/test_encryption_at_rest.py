"""Personal data encrypted at rest (等保2.0, R-Q-3; banchengshi.encryption): what the tables
hold is no phone, ID number or credit code a copied database file would show; a petitioner's
earlier cases are still found, through the keyed hashes; the keys rotate without losing a
row; wrong keys are said in words, by `check --deploy` and by a restore."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from banchengshi.backup.engines import engine
from banchengshi.backup.manifest import BackupRefused, Manifest, release, write_manifest
from banchengshi.backup.operations import check_backup
from banchengshi.cases.models import Case
from banchengshi.cases.search import TextQuery
from banchengshi.cases.similar import registration_hints
from banchengshi.encryption.fields import equal_to
from banchengshi.encryption.keys import UnreadableValue, fingerprint, search_hash
from banchengshi.encryption.migrating import encrypt_existing
from banchengshi.notify.models import OutboxMessage
from banchengshi.notify.outbox import enqueue
from banchengshi.org.models import StaffProfile, TwoFactorDevice
from banchengshi.org.scope import scope_for
from banchengshi.org.two_factor import new_secret
from tests.cases.conftest import CREDIT_CODE, ID_NUMBER, PHONE, CaseBuilder, Org, registration

OLD_FIELD = Fernet.generate_key().decode()
NEW_FIELD = Fernet.generate_key().decode()
OLD_SEARCH = "old-search-key-0123456789abcdef"
NEW_SEARCH = "new-search-key-fedcba9876543210"


@pytest.fixture
def old_keys(settings: Any) -> Any:
    settings.BANCHENGSHI_FIELD_KEYS = OLD_FIELD
    settings.BANCHENGSHI_SEARCH_KEYS = OLD_SEARCH
    return settings


def _stored(table: str, columns: list[str], pk: int, key: str = "id") -> dict[str, str]:
    """What the database file holds, read past the model's fields."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {key} = %s",
            [pk],
        )
        return dict(zip(columns, cursor.fetchone(), strict=True))


def _enterprise(cases: CaseBuilder) -> Case:
    return cases.register(
        petitioner_type="enterprise",
        enterprise_name="上海某某贸易有限公司",
        credit_code=CREDIT_CODE,
    )


def test_the_tables_hold_no_personal_datum_in_clear(
    old_keys: Any, org: Org, cases: CaseBuilder
) -> None:
    case = _enterprise(cases)
    stored = _stored(
        "cases_case",
        ["phone", "id_number", "credit_code", "phone_hash", "id_number_hash", "credit_code_hash"],
        case.pk,
    )
    plain = {"phone": PHONE, "id_number": ID_NUMBER, "credit_code": CREDIT_CODE}
    cipher = Fernet(OLD_FIELD.encode())
    for field, value in plain.items():
        assert value not in stored[field]
        assert value[-4:] not in stored[field]
        assert cipher.decrypt(stored[field].encode()).decode() == value
        assert stored[f"{field}_hash"] == search_hash(field, value)
        assert len(stored[f"{field}_hash"]) == 32
    # Equal values are stored differently: a token tells nothing of another row's.
    again = cases.register()
    assert _stored("cases_case", ["phone"], again.pk)["phone"] != stored["phone"]
    # Code reads the values as they were typed.
    assert Case.objects.values_list("phone", "credit_code").get(pk=case.pk) == (
        PHONE,
        CREDIT_CODE,
    )
    # The outbox's recipient (a petitioner's number for an SMS) too.
    texted = enqueue(channel="sms", recipient=PHONE, template="appeal_filed", payload={})
    assert PHONE not in _stored("notify_outboxmessage", ["recipient"], texted.pk)["recipient"]
    assert OutboxMessage.objects.get(pk=texted.pk).recipient == PHONE


def test_a_staff_mobile_and_a_totp_secret_are_encrypted(old_keys: Any, org: Org) -> None:
    StaffProfile.objects.update_or_create(user=org.clerk, defaults={"mobile": "13911112222"})
    device = new_secret(org.clerk)
    profile = StaffProfile.objects.get(user=org.clerk)
    assert "13911112222" not in _stored("org_staffprofile", ["mobile"], profile.pk)["mobile"]
    secret = _stored("org_twofactordevice", ["secret"], org.clerk.pk, key="user_id")["secret"]
    assert device.secret not in secret
    assert TwoFactorDevice.objects.get(pk=org.clerk.pk).secret == device.secret


def test_comparing_an_encrypted_column_is_refused_not_silently_empty(
    org: Org, cases: CaseBuilder
) -> None:
    case = cases.register(id_number="")
    with pytest.raises(FieldError) as refused:
        Case.objects.filter(phone=PHONE).count()
    assert str(refused.value) == (
        "phone is encrypted: find a value with encryption.fields.equal_to() (its keyed "
        "hash), not by comparing the column."
    )
    with pytest.raises(FieldError):
        Case.objects.filter(phone__startswith="138").count()
    # "Has no ID number" stays answerable: the empty value is stored as it is.
    assert list(Case.objects.filter(id_number="").values_list("pk", flat=True)) == [case.pk]
    assert list(Case.objects.filter(equal_to("phone", PHONE)).values_list("pk", flat=True)) == [
        case.pk
    ]


def test_a_save_of_the_value_without_its_hash_is_refused(org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    case.phone = "13900001111"
    with pytest.raises(ValueError, match="without phone_hash") as refused:
        case.save(update_fields=["phone"])
    assert str(refused.value) == (
        "save(update_fields=…) names phone without phone_hash: "
        "its keyed hash would no longer match it."
    )
    case.save(update_fields=["phone", "phone_hash"])
    found = Case.objects.filter(equal_to("phone", "13900001111")).values_list("pk", flat=True)
    assert list(found) == [case.pk]


def test_the_petitioners_lookups_go_through_the_hash_index(
    old_keys: Any, org: Org, cases: CaseBuilder
) -> None:
    case = cases.register()
    hints = registration_hints(scope_for(org.clerk), registration(phone="+86 138-1234-5678"))
    assert [e.case.pk for e in hints.earlier] == [case.pk]
    found = Case.objects.filter(TextQuery.read(PHONE).found())
    assert list(found.values_list("pk", flat=True)) == [case.pk]
    sql = str(Case.objects.filter(equal_to("phone", PHONE)).order_by("-received_at").query)
    with connection.cursor() as cursor:
        params = [search_hash("phone", PHONE)]
        where = "phone_hash IN (%s) ORDER BY received_at DESC"
        prefix = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
        cursor.execute(f"{prefix} SELECT id FROM cases_case WHERE {where}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "case_phone_received" in plan, (sql, plan)


def test_rotation_moves_every_row_to_the_new_keys(
    old_keys: Any, org: Org, cases: CaseBuilder
) -> None:
    case = _enterprise(cases)
    StaffProfile.objects.update_or_create(user=org.dispatcher, defaults={"mobile": "13911112222"})
    # The new keys first, the old ones still there to read what is stored.
    old_keys.BANCHENGSHI_FIELD_KEYS = f"{NEW_FIELD},{OLD_FIELD}"
    old_keys.BANCHENGSHI_SEARCH_KEYS = f"{NEW_SEARCH},{OLD_SEARCH}"
    assert Case.objects.get(pk=case.pk).phone == PHONE
    assert Case.objects.filter(equal_to("phone", PHONE)).count() == 1  # either hash matches
    out = StringIO()
    call_command("encryption", "rotate", stdout=out)
    assert f"cases.Case: {Case.objects.count()} rows" in out.getvalue()
    assert f"to field key {fingerprint(NEW_FIELD)}" in out.getvalue()
    # The old keys can go: everything reads and is found under the new ones alone.
    old_keys.BANCHENGSHI_FIELD_KEYS = NEW_FIELD
    old_keys.BANCHENGSHI_SEARCH_KEYS = NEW_SEARCH
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.phone, fresh.id_number, fresh.credit_code) == (PHONE, ID_NUMBER, CREDIT_CODE)
    assert StaffProfile.objects.get(user=org.dispatcher).mobile == "13911112222"
    for field, value in (("phone", PHONE), ("id_number", ID_NUMBER), ("credit_code", CREDIT_CODE)):
        assert list(Case.objects.filter(equal_to(field, value)).values_list("pk", flat=True)) == [
            case.pk
        ]


def test_wrong_keys_are_said_in_words(old_keys: Any, org: Org, cases: CaseBuilder) -> None:
    case = cases.register()
    old_keys.BANCHENGSHI_FIELD_KEYS = NEW_FIELD
    with pytest.raises(UnreadableValue) as unreadable:
        Case.objects.get(pk=case.pk)
    assert str(unreadable.value) == (
        "A stored personal datum cannot be decrypted with BANCHENGSHI_FIELD_KEYS (keys "
        f"{fingerprint(NEW_FIELD)}): the database was written with another key. Add that key "
        "to the list (docs/security.md, key rotation)."
    )
    errors = [m for m in run_checks(include_deployment_checks=True) if m.id == "banchengshi.E503"]
    assert [m.msg.split(":")[0] for m in errors] == ["cases.Case"]


def test_the_migration_encrypts_what_was_stored_in_clear(
    old_keys: Any, org: Org, cases: CaseBuilder
) -> None:
    """A database from before encryption: the migration's step turns its clear values into
    tokens and fills the hashes (and back, when the migration is reversed)."""
    case = cases.register()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET phone = %s, id_number = %s, phone_hash = '', "
            "id_number_hash = '' WHERE id = %s",
            [PHONE, ID_NUMBER, case.pk],
        )
    step = encrypt_existing("cases_case", {"phone": "phone_hash", "id_number": "id_number_hash"})
    # The step only uses the schema editor's connection (SQLite's editor cannot open inside
    # the test's transaction).
    editor = SimpleNamespace(connection=connection)
    step.code(None, editor)
    assert Case.objects.values_list("phone", "id_number").get(pk=case.pk) == (PHONE, ID_NUMBER)
    assert Case.objects.filter(equal_to("id_number", ID_NUMBER)).count() == 1
    step.reverse_code(None, editor)
    assert _stored("cases_case", ["phone", "phone_hash"], case.pk) == {
        "phone": PHONE,
        "phone_hash": "",
    }


def test_a_restore_without_the_backups_key_is_refused(old_keys: Any, tmp_path: Path) -> None:
    """What check_backup answers before a restore touches the database (the round trip of
    tests/backup shows the manifest naming the key)."""
    write_manifest(
        tmp_path,
        Manifest(
            engine=engine(),
            created_at="2026-12-01T02:00:00.000000+00:00",
            version=release(),
            migrations={},
            audit_seq=0,
            audit_hash="",
            files={},
            field_key=fingerprint(OLD_FIELD),
        ),
    )
    old_keys.BANCHENGSHI_FIELD_KEYS = NEW_FIELD
    with pytest.raises(BackupRefused) as refused:
        check_backup(tmp_path)
    assert str(refused.value) == (
        f"the backup's personal data is encrypted with field key {fingerprint(OLD_FIELD)}; "
        f"BANCHENGSHI_FIELD_KEYS holds {fingerprint(NEW_FIELD)}: add that key "
        "(docs/security.md)"
    )
    old_keys.BANCHENGSHI_FIELD_KEYS = f"{NEW_FIELD},{OLD_FIELD}"
    assert check_backup(tmp_path).field_key == fingerprint(OLD_FIELD)

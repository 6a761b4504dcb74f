"""Filing an appeal on a public page (intake.portal, R-IN-2): registered at the hub by nobody of
the staff, with an access code kept as a hash, the files checked by content, and the SMS with
the code written in the same transaction; every problem at once, nothing half-written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Attachment, Case, State, WorkItem
from banchengshi.cases.registration import Registration
from banchengshi.errors import InvalidInput
from banchengshi.intake import portal
from banchengshi.intake.models import PublicAccess
from banchengshi.intake.tracking import ProofKind, prove
from banchengshi.notify.models import OutboxMessage
from tests.cases.conftest import PHONE, Org
from tests.cases.test_attachments import EXE, PDF_BYTES, PNG_BYTES


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def appeal(org: Org, **fields: Any) -> Registration:
    values: dict[str, Any] = {
        "channel": "portal",
        "petitioner_type": "person",
        "petitioner_name": "王秀英",
        "phone": PHONE,
        "matter_id": org.matter_a.pk,
        "failed_at_unit_id": org.hall.pk,
        "description": "网上提交营业执照变更材料后一直显示审核中，窗口说没有收到",
        "request": "希望尽快办理",
        "visits_count": 2,
    }
    values.update(fields)
    return Registration(**values)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_filed_at_the_hub_for_screening(org: Org) -> None:
    filed = portal.check_file_appeal(appeal(org, channel="mobile"), [])
    case = Case.objects.get(pk=filed.case.pk)
    assert (case.state, case.channel, case.registered_unit_id, case.registered_by) == (
        State.REGISTERED,
        "mobile",
        org.hub.pk,
        None,
    )
    assert (case.failed_at_unit_id, case.matter_id, case.visits_count) == (
        org.hall.pk,
        org.matter_a.pk,
        2,
    )
    assert list(WorkItem.objects.filter(case=case).values_list("kind", "unit_id")) == [
        ("screen", org.hub.pk)
    ]
    event = AuditEvent.objects.get(case=case)
    assert (event.action, event.actor_id, event.actor_label) == ("register", None, "反映人")
    assert event.payload == {"channel": "mobile"}
    assert verify_chain().ok


def test_the_access_code_is_sent_and_kept_only_as_a_hash(org: Org) -> None:
    filed = portal.check_file_appeal(appeal(org), [])
    code = filed.access_code
    assert len(code) == 8
    assert code.isdigit()
    access = PublicAccess.objects.get(case=filed.case)
    assert code not in access.code_hash
    sms = OutboxMessage.objects.get(case=filed.case)
    assert (sms.channel, sms.recipient, sms.template) == ("sms", PHONE, "appeal_filed")
    assert sms.payload == {"tracking_no": filed.case.tracking_no, "access_code": code}
    proof = prove(filed.case.tracking_no, code, address="203.0.113.7")
    assert proof is not None
    assert (proof.case_id, proof.kind) == (filed.case.pk, ProofKind.ACCESS_CODE)


def test_a_landline_gets_no_sms(org: Org) -> None:
    filed = portal.check_file_appeal(appeal(org, phone="021-52564588"), [])
    assert not OutboxMessage.objects.filter(case=filed.case).exists()


def test_files_are_kept_with_one_event_each(org: Org, media: Path) -> None:
    files = [upload("通知.png", PNG_BYTES), upload("受理回执.pdf", PDF_BYTES)]
    filed = portal.check_file_appeal(appeal(org), files)
    kept = Attachment.objects.filter(case=filed.case).order_by("id")
    assert [(a.name, a.content_type, a.uploaded_by) for a in kept] == [
        ("通知.png", "image/png", None),
        ("受理回执.pdf", "application/pdf", None),
    ]
    assert len(stored(media)) == 2
    events = AuditEvent.objects.filter(case=filed.case, action="attach").order_by("seq")
    assert [e.payload["name"] for e in events] == ["通知.png", "受理回执.pdf"]
    assert {e.actor_label for e in events} == {"反映人"}
    assert verify_chain().ok


def test_every_problem_at_once_and_nothing_written(org: Org, media: Path) -> None:
    org.matter_a.is_public = False
    org.matter_a.save()
    bad = appeal(
        org,
        petitioner_name="",
        phone="1381234567",
        id_number="310107199003072013",
        description="太短",
        failed_at_unit_id=org.dept_b.pk,
    )
    with pytest.raises(InvalidInput) as info:
        portal.check_file_appeal(bad, [upload("setup.pdf", EXE)])
    assert set(info.value.errors) == {
        "petitioner_name",
        "phone",
        "id_number",
        "description",
        "matter_id",
        "failed_at_unit_id",
        "attachments",
    }
    assert "setup.pdf" in str(info.value.errors["attachments"][0])
    assert not Case.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert stored(media) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "window"}, "channel"),
        ({"channel": "hotline_12345"}, "channel"),
        ({"description": "未" * 2001}, "description"),
        ({"request": "请" * 2001}, "request"),
        ({"matter_id": None, "matter_text": ""}, "matter_id"),
        ({"matter_id": 999_999}, "matter_id"),
        ({"failed_at_unit_id": 999_999}, "failed_at_unit_id"),
    ],
)
def test_refused_fields(org: Org, changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInput) as info:
        portal.check_file_appeal(appeal(org, **changes), [])
    assert field in info.value.errors
    assert not Case.objects.exists()


def test_an_inactive_matter_cannot_be_chosen(org: Org) -> None:
    org.matter_a.is_active = False
    org.matter_a.save()
    with pytest.raises(InvalidInput) as info:
        portal.check_file_appeal(appeal(org), [])
    assert "matter_id" in info.value.errors


def test_a_matter_in_own_words_is_enough(org: Org) -> None:
    filed = portal.check_file_appeal(appeal(org, matter_id=None, matter_text="老年证办理"), [])
    assert (filed.case.matter_id, filed.case.matter_text) == (None, "老年证办理")


def test_the_public_names_no_department(org: Org) -> None:
    """Which department answers is the hub's to decide when it screens."""
    filed = portal.check_file_appeal(appeal(org, department_id=org.dept_b.pk), [])
    assert Case.objects.get(pk=filed.case.pk).department_id is None


def test_too_many_files(org: Org, media: Path) -> None:
    files = [upload(f"{n}.png", PNG_BYTES) for n in range(portal.MAX_FILES + 1)]
    with pytest.raises(InvalidInput) as info:
        portal.check_file_appeal(appeal(org), files)
    assert list(info.value.errors) == ["attachments"]
    assert stored(media) == []


def test_too_large_a_file(org: Org, media: Path) -> None:
    big = upload("大图.png", PNG_BYTES + b"\x00" * portal.MAX_FILE_BYTES)
    with pytest.raises(InvalidInput) as info:
        portal.check_file_appeal(appeal(org), [big])
    assert "5.0" in str(info.value.errors["attachments"][0])
    assert stored(media) == []


def test_files_are_removed_when_the_transaction_fails(
    org: Org, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(case: Case) -> str:
        raise IntegrityError("simulated failure after the files were written")

    monkeypatch.setattr(portal, "grant_access_code", broken)
    with pytest.raises(IntegrityError):
        portal.check_file_appeal(appeal(org), [upload("a.png", PNG_BYTES)])
    assert stored(media) == []
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()

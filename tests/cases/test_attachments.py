"""Files kept with a case: judged by their bytes, stored under a random name with a clean one to
show, one audit event each, never a row without its file or a file without its row."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from banchengshi.audit.chain import verify_chain
from banchengshi.audit.models import AuditEvent
from banchengshi.cases import attachments
from banchengshi.cases.actions import common
from banchengshi.cases.actions.cohandling import check_request_cohandling
from banchengshi.cases.attachments import DOCX, JPEG, PDF, PNG, TEXT, XLSX, clean_name, sniff
from banchengshi.cases.models import Attachment, Case
from banchengshi.cases.selectors import case_records
from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.org.scope import scope_for

from .conftest import CaseBuilder, Org

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
# The start of a Windows program (MZ header), as found in a file renamed .pdf.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


def office(*parts: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in ("[Content_Types].xml", *parts):
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


# --- what a file is -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (PDF_BYTES, PDF),
        (PNG_BYTES, PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, JPEG),
        (b"GIF89a" + b"\x00" * 20, attachments.GIF),
        (office("word/document.xml"), DOCX),
        (office("xl/workbook.xml"), XLSX),
        ("申请人补交材料清单：\n1. 股东会决议\n".encode(), TEXT),
        (EXE, None),
        (office("word/document.xml", "word/vbaProject.bin"), None),  # macros
        (office("content.xml"), None),  # some other zip
        (b"PK\x03\x04 not really a zip", None),
        (b"\x00\x01\x02\x03 binary", None),
        ("GBK 编码".encode("gbk"), None),
    ],
)
def test_the_kind_is_read_from_the_bytes(content: bytes, kind: Any) -> None:
    assert sniff(upload("whatever.pdf", content)) == kind


@pytest.mark.parametrize(
    ("raw", "kind", "name"),
    [
        ("通知书.PDF", PDF, "通知书.pdf"),
        ("C:\\Users\\clerk\\Desktop\\scan.jpeg", JPEG, "scan.jpeg"),
        ("../../etc/passwd", TEXT, "passwd.txt"),
        ("photo.pdf", PNG, "photo.pdf.png"),
        ("in\u202evoice\x00.png", PNG, "invoice.png"),  # bidi override and NUL removed
        ('a<b>:"c|d?*.png', PNG, "abcd.png"),
        ("   .png", PNG, "png.png"),
        ("", PDF, "attachment.pdf"),
        ("长" * 300 + ".pdf", PDF, "长" * 196 + ".pdf"),
    ],
)
def test_names_are_cleaned(raw: str, kind: Any, name: str) -> None:
    assert clean_name(raw, kind) == name


# --- adding a file --------------------------------------------------------------------------------


def test_a_file_is_stored_with_its_row_and_one_audit_event(
    org: Org, cases: CaseBuilder, media: Path
) -> None:
    case = cases.in_progress()
    version = Case.objects.get(pk=case.pk).version
    events = AuditEvent.objects.count()
    attachment = attachments.check_add_attachment(
        org.handler_a, case.pk, upload("../退件通知.png", PNG_BYTES), "  窗口出具的\n通知  "
    )
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "退件通知.png",
        "image/png",
        len(PNG_BYTES),
    )
    assert attachment.note == "窗口出具的 通知"
    assert attachment.uploaded_by == org.handler_a
    assert stored(media) == [media / attachment.file.name]
    assert attachment.file.name.startswith("attachments/")
    assert "退件通知" not in attachment.file.name
    event = AuditEvent.objects.get(seq=AuditEvent.objects.count())
    assert AuditEvent.objects.count() == events + 1
    assert (event.action, event.case_id, event.payload["name"]) == (
        "attach",
        case.pk,
        "退件通知.png",
    )
    assert Case.objects.get(pk=case.pk).version == version + 1
    assert verify_chain().ok
    assert case_records(case).attachments == [attachment]


@pytest.mark.parametrize(
    ("who", "builder"),
    [
        ("clerk", "in_progress"),  # registered at the hall
        ("dispatcher", "awaiting"),
        ("handler_b", "cohandled"),
        ("officeadmin", "replied"),
    ],
)
def test_everyone_with_a_role_on_the_case_may_attach(
    org: Org, cases: CaseBuilder, who: str, builder: str
) -> None:
    if builder == "cohandled":
        case = cases.in_progress()
        check_request_cohandling(
            org.handler_a, case.pk, unit_id=org.dept_b.pk, request="请核实记录情况", days=2
        )
    else:
        case = getattr(cases, builder)()
    attachments.check_add_attachment(org.user(who), case.pk, upload("a.png", PNG_BYTES))
    assert Attachment.objects.filter(case=case).count() == 1


def test_outsiders_and_onlookers_may_not_attach(org: Org, cases: CaseBuilder, media: Path) -> None:
    case = cases.in_progress()
    with pytest.raises(NotFound):
        attachments.check_add_attachment(org.handler_b, case.pk, upload("a.png", PNG_BYTES))
    with pytest.raises(NotFound):
        attachments.check_add_attachment(org.handler_a, case.pk + 99, upload("a.png", PNG_BYTES))
    for onlooker in (org.inspector, org.sysadmin):
        with pytest.raises(Forbidden):
            attachments.check_add_attachment(onlooker, case.pk, upload("a.png", PNG_BYTES))
    assert not Attachment.objects.exists()
    assert stored(media) == []


def test_a_closed_case_takes_no_files(org: Org, cases: CaseBuilder, media: Path) -> None:
    case = cases.closed()
    with pytest.raises(InvalidState):
        attachments.check_add_attachment(org.dispatcher, case.pk, upload("a.png", PNG_BYTES))
    assert stored(media) == []


def test_wrong_kinds_sizes_and_notes_are_refused(
    org: Org, cases: CaseBuilder, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = cases.in_progress()
    refusals = []
    monkeypatch.setattr(attachments, "MAX_BYTES", 64)
    for name, content, note in (
        ("setup.pdf", EXE, ""),
        ("scan.png", PNG_BYTES + b"\x00" * 64, ""),
        ("empty.png", b"", ""),
        ("a.png", PNG_BYTES, "说明" * 101),
    ):
        with translation.override("en"):
            with pytest.raises(InvalidInput) as refused:
                attachments.check_add_attachment(
                    org.handler_a, case.pk, upload(name, content), note
                )
            refusals.append({field: str(m[0]) for field, m in refused.value.errors.items()})
    assert refusals == [
        {"file": refusals[0]["file"]},
        {"file": "The file is 120\xa0bytes; at most 64\xa0bytes may be attached."},
        {"file": "The file is empty."},
        {"note": "The note is too long (at most 200 characters)."},
    ]
    assert refusals[0]["file"].startswith("This kind of file is not accepted.")
    assert stored(media) == []


def test_when_the_row_cannot_be_written_the_file_goes_too(
    org: Org, cases: CaseBuilder, media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = cases.in_progress()
    events = AuditEvent.objects.count()

    def broken_audit(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(common, "append_events", broken_audit)
    with pytest.raises(RuntimeError):
        attachments.check_add_attachment(org.handler_a, case.pk, upload("a.png", PNG_BYTES))
    assert not Attachment.objects.exists()
    assert AuditEvent.objects.count() == events
    assert stored(media) == []


def test_an_attachment_is_found_only_through_its_case(org: Org, cases: CaseBuilder) -> None:
    case, other = cases.in_progress(), cases.in_progress()
    attachment = attachments.check_add_attachment(
        org.handler_a, case.pk, upload("a.pdf", PDF_BYTES)
    )
    inspector = scope_for(org.inspector)
    assert attachments.find_attachment(inspector, case.pk, attachment.pk) == attachment
    with pytest.raises(NotFound):
        attachments.find_attachment(inspector, other.pk, attachment.pk)
    with pytest.raises(NotFound):
        attachments.find_attachment(scope_for(org.handler_b), case.pk, attachment.pk)

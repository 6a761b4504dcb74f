"""A full disk during an upload (docs/operations.md, "Faults survived"): the uploaded files live
on a real 1 MiB file system (tmpfs, mounted here; root only) that a 1.5 MiB photo does not fit
on. The petitioner reads why in their language, no case is registered and no file — neither
the one that fitted nor the part of the one that did not — is left on the disk. The same for a
file added to a case and through the API."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.attachments import check_add_attachment
from banchengshi.cases.models import Attachment, Case
from banchengshi.errors import StorageFull
from banchengshi.notify.models import OutboxMessage
from banchengshi.web.forms import public_report
from tests.cases.conftest import PHONE, CaseBuilder, Org

DISK_BYTES = 1024 * 1024
# A PNG's signature and header, then bytes up to the size wanted.
PNG_HEAD = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
MESSAGE_ZH = (
    "服务器暂时没有空间保存文件，本次提交的内容都未保存。请稍后再试；如一直如此，请告知系统管理员。"
)


def png(size: int, name: str = "现场照片.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_HEAD + b"\x01" * (size - len(PNG_HEAD)), "image/png")


@pytest.fixture
def full_disk(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """MEDIA_ROOT on a 1 MiB tmpfs."""
    mount = tmp_path / "media"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={DISK_BYTES}", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs (root is needed): {done.stderr.strip()}")
    settings.MEDIA_ROOT = mount
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def files_on(disk: Path) -> list[Path]:
    return [path for path in disk.rglob("*") if path.is_file()]


def form(org: Org, **changes: Any) -> dict[str, Any]:
    return {
        "petitioner_type": "person",
        "petitioner_name": "王秀英",
        "phone": PHONE,
        "matter_id": org.matter_a.pk,
        "failed_at_unit_id": org.hall.pk,
        "description": "网上提交营业执照变更材料后一直显示审核中，窗口说没有收到",
        "visits_count": "2",
        "website": "",
        "started": signing.dumps(int(time.time()) - 60, salt=public_report.STARTED_SALT),
        **changes,
    }


def test_an_appeal_whose_photo_does_not_fit_is_refused_in_words_and_leaves_nothing(
    org: Org, full_disk: Path
) -> None:
    before = (Case.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count())
    small, big = png(200 * 1024, "通知.png"), png(1536 * 1024)
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        "/report/", form(org, attachments=[small, big])
    )
    assert response.status_code == 422
    assert MESSAGE_ZH in response.content.decode()
    # Nothing half-written: no case, no event, no SMS, and neither file on the disk.
    after = (Case.objects.count(), AuditEvent.objects.count(), OutboxMessage.objects.count())
    assert after == before
    assert not Attachment.objects.exists()
    assert files_on(full_disk) == []
    assert os.statvfs(full_disk).f_bfree == os.statvfs(full_disk).f_blocks

    english = Client(HTTP_ACCEPT_LANGUAGE="en").post(
        "/report/", form(org, attachments=[png(1536 * 1024)])
    )
    assert english.status_code == 422
    assert "The server has no room to store files right now" in english.content.decode()
    # Once there is room again, the same appeal goes through.
    ok = Client().post("/report/", form(org, attachments=[png(200 * 1024)]))
    assert ok.status_code == 302
    assert Case.objects.get().attachments.count() == 1
    assert len(files_on(full_disk)) == 1


def test_a_file_added_to_a_case_that_does_not_fit_leaves_nothing(
    org: Org, cases: CaseBuilder, full_disk: Path
) -> None:
    case = cases.dispatched()
    events = AuditEvent.objects.count()
    with translation.override("zh-hans"), pytest.raises(StorageFull) as refused:
        check_add_attachment(org.clerk, case.pk, png(1536 * 1024))
    assert (refused.value.status, refused.value.code, refused.value.field) == (
        507,
        "storage_full",
        "file",
    )
    with translation.override("zh-hans"):
        assert str(refused.value.message) == MESSAGE_ZH
    assert AuditEvent.objects.count() == events
    assert not Attachment.objects.exists()
    assert files_on(full_disk) == []

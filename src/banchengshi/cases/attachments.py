"""Files kept with a case: a photo of a notice, a scanned form, a spreadsheet of fees.

Who may attach (`Act.ATTACH` in cases.access): everyone holding a role on the case — the window
where it was registered, the units handling or co-handling it, the hub and office. Inspectors
and system administrators only look. A closed case takes no new files: it changes only by
reopening (R-RV-4).

What is accepted is decided by the bytes, never by the name or the browser's content type:
PDF, JPEG, PNG, GIF, Word and Excel documents without macros, and UTF-8 plain text, up to
MAX_BYTES. The name shown is cleaned of paths and control characters and ends with the
extension of what the file really is; on disk the file gets a random name, so nothing a
petitioner or clerk typed reaches the file system. The file is written before the row and
removed again when the row cannot be written, so neither exists without the other.

Adding a file asks for no `version`: it overwrites nothing anyone is editing.
"""

from __future__ import annotations

import codecs
import errno
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.access import may, require
from banchengshi.cases.actions.common import changing_case
from banchengshi.cases.models import Attachment, Case
from banchengshi.cases.preconditions import CaseFacts, blocker, require_possible
from banchengshi.cases.selectors import find_case
from banchengshi.cases.states import Act
from banchengshi.errors import InvalidInput, NotFound, StorageFull
from banchengshi.org.scope import Scope, scope_for

MAX_BYTES = 10 * 1024 * 1024
MAX_NOTE = 200
MAX_NAME = 200
# What the file system says when it has no room left for a file.
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT})
# Characters Windows refuses in file names; a downloaded name must be usable everywhere.
UNSAFE_IN_NAMES = frozenset('<>:"/\\|?*')


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]  # the first is given to a name that has none of them


PDF = FileKind("application/pdf", (".pdf",))
JPEG = FileKind("image/jpeg", (".jpg", ".jpeg"))
PNG = FileKind("image/png", (".png",))
GIF = FileKind("image/gif", (".gif",))
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)
)
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
TEXT = FileKind("text/plain; charset=utf-8", (".txt",))

SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)
ZIP_SIGNATURE = b"PK\x03\x04"
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _office_kind(upload: File) -> FileKind | None:
    """A Word or Excel document is a zip with a [Content_Types].xml and its main part; one
    carrying macros (vbaProject.bin) is refused whatever its name says."""
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    if "[Content_Types].xml" not in names or any(n.endswith("vbaProject.bin") for n in names):
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _is_utf8_text(upload: File) -> bool:
    """Valid UTF-8 without control characters other than tab, line breaks and form feed:
    what a binary file renamed .txt almost never is."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in upload.chunks():
            if CONTROL_CHARACTERS.search(decoder.decode(chunk)):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def sniff(upload: File) -> FileKind | None:
    """What the file is, judged by its content; None when it is none of the accepted kinds."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    try:
        for signature, kind in SIGNATURES:
            if head.startswith(signature):
                return kind
        if head.startswith(ZIP_SIGNATURE):
            return _office_kind(upload)
        return TEXT if _is_utf8_text(upload) else None
    finally:
        upload.seek(0)


def clean_name(raw: str, kind: FileKind) -> str:
    """The name people see and download under: the last path part, without control or
    reserved characters, ending with the extension of what the content is."""
    name = unicodedata.normalize("NFC", raw.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(
        ch for ch in name if unicodedata.category(ch)[0] != "C" and ch not in UNSAFE_IN_NAMES
    )
    name = " ".join(name.split()).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or f".{extension.lower()}" not in kind.extensions:
        stem, extension = name, kind.extensions[0][1:]
    stem = stem[: MAX_NAME - len(extension) - 1].rstrip(" .") or "attachment"
    return f"{stem}.{extension.lower()}"


def may_attach(scope: Scope, case: Case) -> bool:
    return blocker(Act.ATTACH, CaseFacts(case)) is None and may(scope, Act.ATTACH, case)


def checked_upload(upload: File, field: str = "file", max_bytes: int | None = None) -> FileKind:
    """What the upload is, or InvalidInput under `field` when it is empty, bigger than
    `max_bytes` (MAX_BYTES unless given) or of a kind not accepted."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    size = upload.size or 0
    if size == 0:
        raise InvalidInput({field: [_("The file is empty.")]})
    if size > max_bytes:
        raise InvalidInput(
            {
                field: [
                    _("The file is %(size)s; at most %(limit)s may be attached.")
                    % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
                ]
            }
        )
    kind = sniff(upload)
    if kind is None:
        raise InvalidInput(
            {
                field: [
                    _(
                        "This kind of file is not accepted. Attach a PDF, a JPEG, PNG or GIF "
                        "image, a Word or Excel document (without macros) or a UTF-8 text file."
                    )
                ]
            }
        )
    return kind


def check_add_attachment(actor: User, case_id: int, upload: File, note: str = "") -> Attachment:
    # Refuse outsiders before their bytes are looked at or stored; do_* checks again under
    # the row lock.
    case = Case.objects.prefetch_related("unit_links").filter(pk=case_id).first()
    if case is None:
        raise NotFound(_("No case with this number is within your reach."))
    require(scope_for(actor), Act.ATTACH, case)
    require_possible(Act.ATTACH, CaseFacts(case))
    kind = checked_upload(upload)
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise InvalidInput(
            {"note": [_("The note is too long (at most %(max)s characters).") % {"max": MAX_NOTE}]}
        )
    return do_add_attachment(actor, case_id, upload, kind, note)


def store_file(target: FieldFile, name: str, upload: File, *, field: str) -> None:
    """Write `upload` as `target` (not saving its row). A full disk leaves no partial file
    behind (the storage would keep what it wrote before the error) and is refused in words
    under `field`."""
    path = target.field.generate_filename(target.instance, name)
    try:
        target.save(name, upload, save=False)
    except OSError as exc:
        if target.storage.exists(path):
            target.storage.delete(path)
        if exc.errno in NO_ROOM:
            raise StorageFull(field) from exc
        raise


def stored_attachment(
    upload: File, kind: FileKind, note: str, uploaded_by: User | None, *, field: str = "file"
) -> Attachment:
    """The file written under a random name, its row not yet saved: the caller gives it its
    case and saves the row in its transaction, or calls `discard` when that fails. Stored
    before any row lock is taken, so that a slow disk does not hold up others' work."""
    attachment = Attachment(
        name=clean_name(upload.name or "", kind),
        content_type=kind.content_type,
        size=upload.size or 0,
        note=note,
        uploaded_by=uploaded_by,
    )
    store_file(attachment.file, f"{uuid.uuid4().hex}{kind.extensions[0]}", upload, field=field)
    return attachment


def discard(attachments: list[Attachment]) -> None:
    for attachment in attachments:
        if attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)


def attachment_payload(attachment: Attachment) -> dict[str, object]:
    """What the audit event of an added file records."""
    return {
        "attachment": attachment.pk,
        "name": attachment.name,
        "size": attachment.size,
        "content_type": attachment.content_type,
    }


def do_add_attachment(
    actor: User, case_id: int, upload: File, kind: FileKind, note: str
) -> Attachment:
    attachment = stored_attachment(upload, kind, note, actor)
    attachment.case_id = case_id
    try:
        with changing_case(actor, case_id, Act.ATTACH, version=None) as change:
            attachment.uploaded_at = change.now
            attachment.save()
            change.payload = attachment_payload(attachment)
    except BaseException:
        discard([attachment])
        raise
    return attachment


def find_attachment(scope: Scope, case_id: int, attachment_id: int) -> Attachment:
    """An attachment of a case the person may see: the same reach as the case itself."""
    case = find_case(scope, case_id)
    attachment = Attachment.objects.filter(case=case, pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("This case has no attachment with this number."))
    return attachment

"""The files of a fix's evidence: stored as a case's attachments are (cases.attachments
judges the bytes and cleans the name), written under a random name before the row, removed
again when the row cannot be written; served only to people who see the item."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import User
from django.core.files import File
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.attachments import FileKind, clean_name, store_file
from banchengshi.errors import NotFound
from banchengshi.knowledge.models import RectificationFile, RectificationItem
from banchengshi.knowledge.rectification.access import may_see
from banchengshi.org.scope import Scope


def stored_file(upload: File, kind: FileKind, uploaded_by: User) -> RectificationFile:
    """The file written, its row not yet saved: the caller gives it its item and time."""
    kept = RectificationFile(
        name=clean_name(upload.name or "", kind),
        content_type=kind.content_type,
        size=upload.size or 0,
        uploaded_by=uploaded_by,
    )
    name = f"{uuid.uuid4().hex}{kind.extensions[0]}"
    store_file(kept.file, name, upload, field="evidence_files")
    return kept


def discard(files: list[RectificationFile]) -> None:
    for kept in files:
        if kept.file.name:
            kept.file.storage.delete(kept.file.name)


def find_file(scope: Scope, item_id: int, file_id: int) -> RectificationFile:
    """A file of an item the person sees: the same reach as the item."""
    unit_id = RectificationItem.objects.filter(pk=item_id).values_list("unit_id", flat=True).first()
    if unit_id is None or not may_see(scope, unit_id):
        raise NotFound(_("No such rectification item."))
    kept = RectificationFile.objects.filter(item_id=item_id, pk=file_id).first()
    if kept is None:
        raise NotFound(_("This rectification has no file with this number."))
    return kept

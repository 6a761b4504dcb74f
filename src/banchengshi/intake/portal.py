"""Filing an appeal on a public page: the online window on a PC or a phone, or a self-service
terminal (R-IN-2). No account: the petitioner gets the tracking number and an access code,
shown once and sent by SMS (intake.tracking).

The appeal is registered by the engine (`cases.actions.registration.do_register_case`, the
same row, link, work item and audit event as at a window), at the dispatch hub, which
screens it (R-IN-4).
The petitioner may choose only what the public catalogue shows: a public, active matter and
a service center as the place where it failed. Attachments are checked by their content and
written before the transaction; the case, its access code, its files and the SMS with the
code are one transaction, so either all exist or none does (R-Q-4).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases.actions.common import PETITIONER_LABEL, hub_unit
from banchengshi.cases.actions.registration import (
    References,
    do_register_case,
    registration_references,
)
from banchengshi.cases.attachments import (
    FileKind,
    attachment_payload,
    checked_upload,
    discard,
    stored_attachment,
)
from banchengshi.cases.models import Attachment, Case, Channel
from banchengshi.cases.registration import Registration, clean_registration
from banchengshi.errors import InvalidInput
from banchengshi.intake.access import grant_access_code
from banchengshi.org.models import PLACE_KINDS

PUBLIC_CHANNELS = frozenset({Channel.PORTAL, Channel.MOBILE, Channel.KIOSK})
MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
# A public text box is for a person's account, not for pasting documents.
MAX_PUBLIC_TEXT = 2000
ATTACHMENTS = "attachments"


@dataclass(frozen=True)
class FiledAppeal:
    case: Case
    # Shown once on the confirmation page; only its hash is kept.
    access_code: str


@dataclass(frozen=True)
class CheckedAppeal:
    data: Registration
    refs: References
    files: list[tuple[File, FileKind]]


def check_file_appeal(data: Registration, uploads: list[File]) -> FiledAppeal:
    checked = validate_appeal(data, uploads)
    return do_file_appeal(checked.data, checked.refs, checked.files)


def validate_appeal(data: Registration, uploads: list[File]) -> CheckedAppeal:
    """Every problem at once, each under its field; nothing is written."""
    errors: dict[str, list[Any]] = {}
    if data.channel not in PUBLIC_CHANNELS:
        errors["channel"] = [_("Unknown channel.")]
    # The public form names no department and no registering unit: the hub registers it.
    data = replace(data, department_id=None, registered_unit_id=hub_unit().pk)
    try:
        data = clean_registration(data)
    except InvalidInput as exc:
        errors.update(exc.errors)
    for field_name in ("description", "request"):
        if len(getattr(data, field_name)) > MAX_PUBLIC_TEXT:
            errors[field_name] = [_("The text is too long (at most 2000 characters).")]
    refs = None
    try:
        refs = registration_references(data)
    except InvalidInput as exc:
        errors.update(exc.errors)
    if refs is not None:
        if refs.matter is not None and not (refs.matter.is_public and refs.matter.is_active):
            errors["matter_id"] = [_("There is no such service matter.")]
        place = refs.units.get(data.failed_at_unit_id or 0)
        if place is not None and place.kind not in PLACE_KINDS:
            errors["failed_at_unit_id"] = [_("Choose a service center.")]
    kinds: list[FileKind] = []
    if len(uploads) > MAX_FILES:
        errors[ATTACHMENTS] = [_("Attach at most %(count)d files.") % {"count": MAX_FILES}]
    else:
        for upload in uploads:
            try:
                kinds.append(checked_upload(upload, ATTACHMENTS, MAX_FILE_BYTES))
            except InvalidInput as exc:
                name = upload.name or ""
                errors.setdefault(ATTACHMENTS, []).extend(
                    f"{name}: {message}" for message in exc.errors[ATTACHMENTS]
                )
    if errors:
        raise InvalidInput(errors)
    assert refs is not None
    return CheckedAppeal(data, refs, list(zip(uploads, kinds, strict=True)))


def do_file_appeal(
    data: Registration, refs: References, files: list[tuple[File, FileKind]]
) -> FiledAppeal:
    stored: list[Attachment] = []
    try:
        for upload, kind in files:
            stored.append(stored_attachment(upload, kind, "", None, field=ATTACHMENTS))
        with transaction.atomic():
            case = do_register_case(None, data, refs)
            # The confirmation page shows the code too: a landline gets no SMS.
            code = grant_access_code(case)
            now = timezone.now()
            for attachment in stored:
                attachment.case = case
                attachment.uploaded_at = now
            Attachment.objects.bulk_create(stored)
            append_events(
                PendingEvent(
                    case_id=case.pk,
                    actor_id=None,
                    actor_label=PETITIONER_LABEL,
                    action="attach",
                    at=now,
                    before={},
                    after={},
                    payload=attachment_payload(attachment),
                )
                for attachment in stored
            )
    except BaseException:
        discard(stored)
        raise
    return FiledAppeal(case, code)

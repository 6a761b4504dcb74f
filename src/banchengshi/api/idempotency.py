"""Creating a case at most once per Idempotency-Key (R-Q-4, R-IN-3).

The key row is inserted in the transaction that creates the case, so either both exist or
neither does. A second request with the same key finds the row and gets the same case; two
requests racing with one key collide on the (user, key) unique constraint, and the loser reads
the winner's case. An external record (source + id) registered twice also yields its case."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from banchengshi.api.models import IdempotencyKey
from banchengshi.cases.access import visible_cases
from banchengshi.cases.actions.registration import check_register_case
from banchengshi.cases.models import Case
from banchengshi.cases.registration import Registration
from banchengshi.errors import ActionRefused
from banchengshi.intake.sources import require_source_account
from banchengshi.org.scope import scope_for


class IdempotencyConflict(ActionRefused):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "idempotency_conflict",
            _("This Idempotency-Key was already used for a different request."),
            "Idempotency-Key",
        )


class DuplicateExternalRecord(ActionRefused):
    status = 409

    def __init__(self) -> None:
        super().__init__(
            "duplicate",
            _("This external record has already been registered."),
            "external_id",
        )


def request_hash(body: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the (validated) body: keys sorted, no spaces."""
    canonical = json.dumps(
        body, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _stored_case_id(actor: User, key: str, body_hash: str) -> int | None:
    row = IdempotencyKey.objects.filter(user=actor, key=key).only("request_hash", "case_id").first()
    if row is None:
        return None
    if row.request_hash != body_hash:
        raise IdempotencyConflict()
    return row.case_id


def _external_case_id(actor: User, data: Registration) -> int | None:
    if not data.external_source:
        return None
    # The unique index is partial (source not empty); SQLite uses it only when asked the same.
    same = Case.objects.filter(
        external_source=data.external_source, external_id=data.external_id
    ).exclude(external_source="")
    # Only the account's own earlier registration is its answer: a record of another
    # account (or another source) under the same id is a clash, refused, never merged.
    case_id = (
        visible_cases(scope_for(actor))
        .filter(pk__in=same.values("pk"), registered_by=actor)
        .values_list("pk", flat=True)
    )
    found = case_id.first()
    if found is None and same.exists():
        raise DuplicateExternalRecord()
    return found


def register_case_once(
    actor: User, data: Registration, key: str | None, body_hash: str
) -> tuple[int, Case | None]:
    """(case id, the new case): the case registered now, or (the id of the one this key or
    record already made, None)."""
    if data.external_source:
        require_source_account(actor, data.external_source)
    if key:
        stored = _stored_case_id(actor, key, body_hash)
        if stored is not None:
            return stored, None
    try:
        if key:
            with transaction.atomic():
                case = check_register_case(actor, data)
                IdempotencyKey.objects.create(
                    key=key, user=actor, request_hash=body_hash, case=case
                )
        else:
            case = check_register_case(actor, data)
    except IntegrityError:
        stored = _stored_case_id(actor, key, body_hash) if key else None
        if stored is None:
            stored = _external_case_id(actor, data)
        if stored is None:
            raise
        return stored, None
    return case.pk, case

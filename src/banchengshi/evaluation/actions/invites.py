"""Invitations to rate by SMS (after a remote session, a door-to-door visit or any service):
`invite_by_sms` writes the invitation and queues its SMS in the caller's transaction; the
person rates once on `/e/<token>/` before it expires (`check_rate_invite`, no account)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.evaluation.access import may_record
from banchengshi.evaluation.actions.common import (
    NewEvaluation,
    case_or_refuse,
    comment_value,
    level_value,
    matter_or_refuse,
    staff_or_refuse,
    subject_value,
    unit_or_refuse,
    write_evaluation,
)
from banchengshi.evaluation.models import (
    Evaluation,
    EvaluationChannel,
    EvaluationInvite,
    SubjectKind,
)
from banchengshi.evaluation.policy import evaluation_policy
from banchengshi.identifiers import validate_mobile
from banchengshi.notify.outbox import enqueue
from banchengshi.notify.shortlinks import ALPHABET

TOKEN_LENGTH = 10


def token_is_well_formed(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and all(ch in ALPHABET for ch in token)


def invite_by_sms(
    actor: User,
    *,
    subject_kind: str,
    subject_id: str,
    unit_id: int,
    mobile: str,
    staff_id: int | None = None,
    matter_id: int | None = None,
    case_id: int | None = None,
) -> EvaluationInvite:
    """Checks and writes, in the caller's transaction when there is one (a session or visit
    recorded with its invitation): the SMS leaves after that commit."""
    unit = unit_or_refuse(unit_id)
    if not may_record(actor, unit.pk):
        raise Forbidden(_("Only the staff of the unit rated, or the office, invite ratings."))
    kind, subject_id = subject_value(subject_kind, subject_id)
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as exc:
        raise InvalidInput({"mobile": [_("Give a mobile phone number of 11 digits.")]}) from exc
    staff_id = staff_or_refuse(staff_id, unit.pk)
    matter_id = matter_or_refuse(matter_id)
    case_id = case_or_refuse(case_id)
    now = timezone.now()
    with transaction.atomic():
        invite = EvaluationInvite.objects.create(
            subject_kind=kind,
            subject_id=subject_id,
            unit=unit,
            staff_id=staff_id,
            matter_id=matter_id,
            case_id=case_id,
            mobile=mobile,
            token="".join(secrets.choice(ALPHABET) for _ in range(TOKEN_LENGTH)),
            created_by=actor,
            created_at=now,
            expires_at=now + dt.timedelta(days=evaluation_policy().invite_days),
        )
        enqueue(
            channel="sms",
            recipient=mobile,
            template="evaluation_invite",
            payload={"unit": unit.name, "link": invite.token},
            case_id=case_id,
        )
    return invite


def find_invite(token: str) -> EvaluationInvite:
    invite = (
        EvaluationInvite.objects.select_related("unit", "matter").filter(token=token).first()
        if token_is_well_formed(token)
        else None
    )
    if invite is None:
        raise NotFound(_("This rating link is not valid."))
    return invite


def require_open(invite: EvaluationInvite, now: dt.datetime) -> None:
    if invite.evaluation_id is not None:
        raise InvalidState(_("This service has been rated already. Thank you."))
    if invite.expires_at <= now:
        raise InvalidState(_("This rating link has expired."))


def check_rate_invite(token: str, *, level: int, comment: str = "") -> Evaluation:
    chosen = level_value(level)
    comment = comment_value(comment)
    require_open(find_invite(token), timezone.now())
    return do_rate_invite(token, level=chosen, comment=comment)


def do_rate_invite(token: str, *, level: int, comment: str) -> Evaluation:
    """Checks the invitation again under its row lock: a second rating waits for the first
    and is then refused."""
    with transaction.atomic():
        invite = (
            EvaluationInvite.objects.select_for_update(of=("self",))
            .select_related("unit")
            .get(token=token)
        )
        now = timezone.now()
        require_open(invite, now)
        evaluation = write_evaluation(
            NewEvaluation(
                level=level_value(level),
                subject_kind=SubjectKind(invite.subject_kind),
                subject_id=invite.subject_id,
                channel=EvaluationChannel.SMS_LINK,
                unit_id=invite.unit_id,
                evaluated_at=now,
                comment=comment,
                staff_id=invite.staff_id,
                case_id=invite.case_id,
                matter_id=invite.matter_id,
                mobile=invite.mobile,
            ),
            actor=None,
            now=now,
        )
        invite.evaluation = evaluation
        invite.save(update_fields=["evaluation"])
    return evaluation

"""The window's evaluation tablet (`/rate/`): the clerk pushes the transaction just done (the
matter served, or the appeal just registered) from their screen; the tablet, signed in as the
same clerk, shows it and the citizen taps one of five faces. One rating per push, in the
clerk's session only, within `tablet_minutes` (policy.toml); a new push ends the one before.
The unit rated is the window's center where the clerk serves, never chosen by the citizen."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Case
from banchengshi.catalog.models import Matter
from banchengshi.errors import Forbidden, InvalidInput, InvalidState, NotFound
from banchengshi.evaluation.access import window_units
from banchengshi.evaluation.actions.common import (
    NewEvaluation,
    comment_value,
    level_value,
    mobile_or_blank,
    write_evaluation,
)
from banchengshi.evaluation.models import (
    Evaluation,
    EvaluationChannel,
    SubjectKind,
    TabletPush,
)
from banchengshi.evaluation.policy import evaluation_policy
from banchengshi.ids import MAX_ID


def check_push(
    actor: User,
    *,
    unit_id: int | None = None,
    matter_id: int | None = None,
    case_id: int | None = None,
) -> TabletPush:
    units = window_units(actor)
    if not units:
        raise Forbidden(_("Only window staff push a transaction to the tablet."))
    unit = units[0] if unit_id is None else unit_id
    if unit not in units:
        raise InvalidInput({"unit_id": [_("You do not serve at this unit's windows.")]})
    if matter_id is None and case_id is None:
        raise InvalidInput({"matter_id": [_("Choose the matter just served.")]})
    if matter_id is not None and not (
        1 <= matter_id <= MAX_ID and Matter.objects.filter(pk=matter_id, is_active=True).exists()
    ):
        raise InvalidInput({"matter_id": [_("There is no such matter.")]})
    if case_id is not None and not (
        1 <= case_id <= MAX_ID and Case.objects.filter(pk=case_id, registered_by=actor).exists()
    ):
        raise InvalidInput({"case_id": [_("Only an appeal you registered can be rated here.")]})
    return do_push(actor, unit_id=unit, matter_id=matter_id, case_id=case_id)


def do_push(actor: User, *, unit_id: int, matter_id: int | None, case_id: int | None) -> TabletPush:
    now = timezone.now()
    with transaction.atomic():
        open_pushes(actor, now).update(expires_at=now)
        return TabletPush.objects.create(
            unit_id=unit_id,
            matter_id=matter_id,
            case_id=case_id,
            opened_by=actor,
            opened_at=now,
            expires_at=now + dt.timedelta(minutes=evaluation_policy().tablet_minutes),
        )


def open_pushes(actor: User, now: dt.datetime) -> QuerySet[TabletPush]:
    """The clerk's pushes still waiting, newest first; the index on (clerk, time) bounds the
    read to the last few minutes however many the clerk pushed before."""
    since = now - dt.timedelta(minutes=evaluation_policy().tablet_minutes)
    return TabletPush.objects.filter(
        opened_by=actor, opened_at__gt=since, evaluation__isnull=True, expires_at__gt=now
    ).order_by("-opened_at", "-pk")


def find_push(actor: User, push_id: int) -> TabletPush:
    push = (
        TabletPush.objects.select_related("unit", "matter").filter(pk=push_id).first()
        if 1 <= push_id <= MAX_ID
        else None
    )
    if push is None:
        raise NotFound(_("There is no such rating screen."))
    if push.opened_by_id != actor.pk:
        raise Forbidden(_("This rating screen was opened by another member of staff."))
    return push


def require_waiting(push: TabletPush, now: dt.datetime) -> None:
    if push.evaluation_id is not None:
        raise InvalidState(_("This transaction has been rated already."))
    if push.expires_at <= now:
        raise InvalidState(_("This rating screen has expired; push the transaction again."))


def check_rate_push(actor: User, push_id: int, *, level: int, comment: str = "") -> Evaluation:
    chosen = level_value(level)
    comment = comment_value(comment)
    require_waiting(find_push(actor, push_id), timezone.now())
    return do_rate_push(actor, push_id, level=chosen, comment=comment)


def do_rate_push(actor: User, push_id: int, *, level: int, comment: str) -> Evaluation:
    """The rating is the citizen's; the clerk is the staff member rated and the operator."""
    with transaction.atomic():
        push = TabletPush.objects.select_for_update(of=("self",)).get(
            pk=find_push(actor, push_id).pk
        )
        now = timezone.now()
        require_waiting(push, now)
        case = Case.objects.filter(pk=push.case_id).only("phone").first() if push.case_id else None
        evaluation = write_evaluation(
            NewEvaluation(
                level=level_value(level),
                subject_kind=SubjectKind.WINDOW_TRANSACTION,
                subject_id=str(push.pk),
                channel=EvaluationChannel.WINDOW_TABLET,
                unit_id=push.unit_id,
                evaluated_at=now,
                comment=comment,
                staff_id=actor.pk,
                case_id=push.case_id,
                matter_id=push.matter_id,
                mobile=mobile_or_blank(case.phone) if case is not None else "",
            ),
            actor=actor,
            now=now,
        )
        push.evaluation = evaluation
        push.save(update_fields=["evaluation"])
    return evaluation

"""Linking similar open cases into a group, and answering a group together (R-KB-3).

Each case linked gets its own audit event (`CaseEvent.LINK_SIMILAR`) through the cases' frame
of a change, so its right, state and version are checked under its row lock like any action's.
A group's answer goes through the cases' own reply action once per case, each in its own
transaction: a case whose reply is refused (its state, its precondition, the person's right) is
reported with the reason, and the others still go through."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.actions.answer import check_reply_case
from banchengshi.cases.actions.common import changing_case, is_id, text_value
from banchengshi.cases.models import Case, ReplyChannel
from banchengshi.cases.states import Act
from banchengshi.errors import ActionRefused, InvalidInput, NotFound
from banchengshi.knowledge.hotspots.models import CaseGroup, CaseGroupMember

MAX_LINKED = 50


def check_link_cases(actor: User, case_id: int, *, others: list[int]) -> CaseGroup:
    """Link `others` to the case's group (made when the case has none)."""
    wanted = [pk for pk in dict.fromkeys(others) if pk != case_id]
    if not wanted:
        raise InvalidInput({"case_ids": [_("Choose at least one similar case to link.")]})
    if len(wanted) > MAX_LINKED or not all(is_id(pk) for pk in [case_id, *wanted]):
        raise InvalidInput(
            {
                "case_ids": [
                    _("Choose at most %(max)d cases by their numbers.") % {"max": MAX_LINKED}
                ]
            }
        )
    return do_link_cases(actor, case_id, others=wanted)


def do_link_cases(actor: User, case_id: int, *, others: list[int]) -> CaseGroup:
    """Trusts `others` to be distinct ids other than `case_id`. All or nothing: a case the
    person may not link, or one no longer open, refuses the whole link, naming the case; one
    already in another group is refused by its number."""
    with transaction.atomic():
        now = timezone.now()
        member = CaseGroupMember.objects.filter(case_id=case_id).select_related("group").first()
        elsewhere = CaseGroupMember.objects.filter(case_id__in=others)
        if member is not None:
            elsewhere = elsewhere.exclude(group=member.group)
        taken = list(elsewhere.values_list("case__tracking_no", flat=True))
        if taken:
            raise InvalidInput(
                {
                    "case_ids": [
                        _("Already in another group: %(numbers)s.") % {"numbers": "、".join(taken)}
                    ]
                }
            )
        if member is None:
            group = CaseGroup.objects.create(origin_id=case_id, created_by=actor, created_at=now)
            to_link = [case_id, *others]
        else:
            group = member.group
            present = set(group.members.values_list("case_id", flat=True))
            to_link = [pk for pk in others if pk not in present]
        for pk in to_link:
            _link_event(actor, pk, group.pk)
        CaseGroupMember.objects.bulk_create(
            [
                CaseGroupMember(group=group, case_id=pk, linked_by=actor, linked_at=now)
                for pk in to_link
            ]
        )
    return group


def _link_event(actor: User, case_id: int, group_id: int) -> None:
    try:
        with changing_case(actor, case_id, Act.LINK_SIMILAR, version=None) as change:
            change.payload = {"group": group_id}
    except ActionRefused as refused:
        raise _naming_case(refused, case_id) from None


def _naming_case(refused: ActionRefused, case_id: int) -> ActionRefused:
    """The refusal with the case's number in front, for a message about one of several."""
    number = Case.objects.filter(pk=case_id).values_list("tracking_no", flat=True).first()
    label = number or f"#{case_id}"
    message = _("%(number)s: %(reason)s") % {"number": label, "reason": refused.message}
    if isinstance(refused, InvalidInput):
        return InvalidInput({"case_ids": [message]})
    named = ActionRefused(refused.code, message)
    named.status = refused.status
    return named


# --- answering a group together ----------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    case_id: int
    tracking_no: str
    reason: str


@dataclass(frozen=True)
class GroupAnswer:
    sent: list[Case]
    refused: list[Refusal]


def group_or_refuse(group_id: int) -> CaseGroup:
    group = CaseGroup.objects.filter(pk=group_id).first() if is_id(group_id) else None
    if group is None:
        raise NotFound(_("No such group of cases."))
    return group


def check_answer_group(
    actor: User, group_id: int, *, text: str, channel: str = ReplyChannel.SMS
) -> GroupAnswer:
    """The reply, checked once, sent to each open case of the group by the cases' reply
    action; the person must see the group's first case to send anything."""
    group = group_or_refuse(group_id)
    text = text_value(text, field="text", label=_("The reply"), minimum=5)
    if channel not in ReplyChannel.values:
        raise InvalidInput({"channel": [_("Choose how the reply was given.")]})
    return do_answer_group(actor, group, text=text, channel=channel)


def do_answer_group(actor: User, group: CaseGroup, *, text: str, channel: str) -> GroupAnswer:
    """Trusts `text` and `channel` to be checked. Must run outside a transaction: each case's
    reply is its own (cases.actions.answer.do_reply_case locks, checks and audits it)."""
    members = list(group.members.order_by("case_id").values_list("case_id", "case__tracking_no"))
    sent: list[Case] = []
    refused: list[Refusal] = []
    for case_id, tracking_no in members:
        try:
            sent.append(check_reply_case(actor, case_id, text=text, channel=channel))
        except ActionRefused as refusal:
            refused.append(Refusal(case_id, tracking_no, str(refusal.message)))
    if sent:
        CaseGroup.objects.filter(pk=group.pk).update(reply_text=text, answered_at=timezone.now())
    return GroupAnswer(sent=sent, refused=refused)

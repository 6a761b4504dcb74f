"""The answer and what follows it: the reply (R-DIS-6), return visits by the staff (R-RV-1)
and the petitioner's own rating (R-RV-2), supervision (R-RV-3) and closing."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.access import visits_for_hub
from banchengshi.cases.actions.common import (
    HANDLING_CLOCKS,
    Change,
    add_work,
    changing_case,
    changing_case_as_petitioner,
    clear_work,
    hub_unit,
    optional_text,
    stop_clocks,
    text_value,
    workdays_value,
)
from banchengshi.cases.clocks import case_policy, due_for, due_in_workdays, limit_clock, new_clock
from banchengshi.cases.models import (
    Case,
    ClockKind,
    ReplyChannel,
    ReturnVisit,
    Satisfaction,
    State,
    Supervision,
    WorkKind,
)
from banchengshi.cases.states import Act
from banchengshi.errors import Forbidden, InvalidInput, InvalidState
from banchengshi.notify.inbox import notify, people_of
from banchengshi.notify.models import NotificationKind
from banchengshi.notify.outbox import text_petitioner
from banchengshi.org.scope import scope_for

MAX_SUPERVISION_DAYS = 30
MAX_RATING_COMMENT = 500
# What may prove that a rating is the petitioner's (intake.tracking): the access code or the
# reply SMS's link, which no member of the staff ever sees; never the phone's last digits,
# which stand in every masked number (138****5678) and would let a unit rate its own answer.
PROOFS_TO_RATE = frozenset({"access_code", "sms_link"})


def check_reply_case(
    actor: User,
    case_id: int,
    *,
    text: str,
    channel: str = ReplyChannel.SMS,
    version: int | None = None,
) -> Case:
    text = text_value(text, field="text", label=_("The reply"), minimum=5)
    if channel not in ReplyChannel.values:
        raise InvalidInput({"channel": [_("Choose how the reply was given.")]})
    return do_reply_case(actor, case_id, text=text, channel=channel, version=version)


def do_reply_case(
    actor: User, case_id: int, *, text: str, channel: str, version: int | None
) -> Case:
    """The final answer (R-DIS-6, R-DIS-8). A not-admissible case is closed by the reply; a
    handled one waits for its return visit, within the policy's limit where it sets one."""
    with changing_case(actor, case_id, Act.REPLY, version=version) as change:
        case = change.case
        if case.state == State.IN_PROGRESS:
            case.state = State.REPLIED
            stop_clocks(case, change.now, *HANDLING_CLOCKS)
            clear_work(case, WorkKind.HANDLE)
            limit = case_policy(case).clock_limit("return_visit")
            due = None
            if limit is not None:
                clock = limit_clock(case, ClockKind.RETURN_VISIT, limit, change.now)
                clock.save()
                due = clock.due
            add_work(case, WorkKind.RETURN_VISIT, hub_unit().pk, due)
        else:
            case.state = State.CLOSED
            case.closed_at = change.now
            stop_clocks(case, change.now, ClockKind.NOT_ADMISSIBLE_REPLY)
            clear_work(case)
        case.reply_text = text
        case.replied_at = change.now
        change.payload = {"channel": channel, "text": text}
        # The SMS's short link rates this round's answer (notify.shortlinks).
        text_petitioner(
            phone=case.phone,
            tracking_no=case.tracking_no,
            case_id=case.pk,
            template="reply",
            payload={"channel": channel},
            rate_round=case.round,
        )
    return change.case


def opinion_value(satisfaction: int, comment: str, *, limit: int | None = None) -> str:
    if satisfaction not in Satisfaction.values:
        raise InvalidInput({"satisfaction": [_("Choose one of the five satisfaction levels.")]})
    if limit is None:
        return optional_text(comment, field="comment")
    return optional_text(comment, field="comment", limit=limit)


def check_return_visit(
    actor: User,
    case_id: int,
    *,
    satisfaction: int,
    solved: bool,
    comment: str = "",
    version: int | None = None,
) -> ReturnVisit:
    comment = opinion_value(satisfaction, comment)
    return do_return_visit(
        actor,
        case_id,
        satisfaction=satisfaction,
        solved=solved,
        comment=comment,
        version=version,
    )


def do_return_visit(
    actor: User,
    case_id: int,
    *,
    satisfaction: int,
    solved: bool,
    comment: str,
    version: int | None,
) -> ReturnVisit:
    """回访 (R-RV-1)."""
    with changing_case(actor, case_id, Act.RETURN_VISIT, version=version) as change:
        by = ReturnVisit.By.HUB if visits_for_hub(scope_for(actor)) else ReturnVisit.By.UNIT
        visit = record_opinion(change, satisfaction, solved, comment, by=by, visited_by=actor)
        change.payload = {"by": by, "satisfaction": satisfaction, "solved": solved}
    return visit


def record_opinion(
    change: Change, satisfaction: int, solved: bool, comment: str, **who: Any
) -> ReturnVisit:
    """An opinion of the current answer (`who`: by whom, and how), and what it leads to at the
    hub: dissatisfied (不满意 or worse) or unsolved puts the case on the supervision list
    (R-RV-3), to be decided within the policy's limit for the hub's review; otherwise a
    replied case may be closed. The latest opinion is the case's."""
    case = change.case
    visit = ReturnVisit.objects.create(
        case=case,
        round=case.round,
        visited_at=change.now,
        satisfaction=satisfaction,
        solved=solved,
        comment=comment,
        **who,
    )
    case.satisfaction, case.solved = visit.satisfaction, visit.solved
    stop_clocks(case, change.now, ClockKind.RETURN_VISIT)
    clear_work(case, WorkKind.RETURN_VISIT, WorkKind.SUPERVISE, WorkKind.CLOSE)
    if not visit.solved or visit.satisfaction <= Satisfaction.DISSATISFIED:
        review = case_policy(case).clock_limit("hub_review")
        due = due_for(review, change.now) if review is not None else None
        add_work(case, WorkKind.SUPERVISE, hub_unit().pk, due)
    elif case.state == State.REPLIED:
        add_work(case, WorkKind.CLOSE, hub_unit().pk, None)
    return visit


def check_rate_case(
    case_id: int,
    *,
    satisfaction: int,
    solved: bool,
    comment: str,
    channel: str,
    proof: str,
    answer_round: int | None = None,
) -> ReturnVisit:
    """The petitioner rates the answer (R-RV-2) through the link in the reply's SMS, the
    tracking page or a kiosk, having proven the appeal theirs by `proof`; once per round,
    after the answer. A link names the round of the answer it came with (`answer_round`), so
    an old link cannot rate a later answer."""
    if proof not in PROOFS_TO_RATE:
        raise Forbidden(
            _(
                "To rate the answer, open the link in the SMS that brought it, or enter the "
                "access code you were given."
            )
        )
    comment = opinion_value(satisfaction, comment, limit=MAX_RATING_COMMENT)
    if channel not in ReturnVisit.Channel.values:
        raise InvalidInput({"channel": [_("Unknown channel.")]})
    return do_rate_case(
        case_id,
        satisfaction=satisfaction,
        solved=solved,
        comment=comment,
        channel=channel,
        proof=proof,
        answer_round=answer_round,
    )


def do_rate_case(
    case_id: int,
    *,
    satisfaction: int,
    solved: bool,
    comment: str,
    channel: str,
    proof: str,
    answer_round: int | None,
) -> ReturnVisit:
    """A rating counts as the round's return visit: the hub may close on it, or supervise."""
    with changing_case_as_petitioner(case_id, Act.RATE) as change:
        case = change.case
        if answer_round is not None and answer_round != case.round:
            raise InvalidState(
                _("This link is for an earlier answer; use the link sent with the latest one.")
            )
        visit = record_opinion(
            change, satisfaction, solved, comment, by=ReturnVisit.By.PETITIONER, channel=channel
        )
        change.payload = {
            "satisfaction": satisfaction,
            "solved": solved,
            "channel": channel,
            "proof": proof,
        }
    return visit


def check_supervise_case(
    actor: User, case_id: int, *, reason: str, days: int, version: int | None = None
) -> Supervision:
    reason = text_value(reason, field="reason", label=_("The reason"), minimum=5)
    days = workdays_value(days, field="days", maximum=MAX_SUPERVISION_DAYS)
    return do_supervise_case(actor, case_id, reason=reason, days=days, version=version)


def do_supervise_case(
    actor: User, case_id: int, *, reason: str, days: int, version: int | None
) -> Supervision:
    """督办 (R-RV-3): reopen with a new deadline and a round number; the unit is notified."""
    with changing_case(actor, case_id, Act.SUPERVISE, version=version) as change:
        case = change.case
        assert case.handling_unit_id is not None, "the precondition of supervising"
        clear_work(case)
        stop_clocks(case, change.now, ClockKind.RETURN_VISIT)
        case.round += 1
        case.state = State.IN_PROGRESS
        case.closed_at = None
        due = due_in_workdays(days, change.now)
        supervision = Supervision.objects.create(
            case=case, round=case.round, reason=reason, due=due, by=actor, at=change.now
        )
        new_clock(case, ClockKind.REPLY, change.now, due, workdays=days).save()
        add_work(case, WorkKind.HANDLE, case.handling_unit_id, due)
        notify(
            user_ids=people_of([case.handling_unit_id]),
            kind=NotificationKind.SUPERVISION_OPENED,
            case_id=case.pk,
            params={"round": case.round, "due": due.isoformat()},
        )
        change.payload = {"reason": reason, "round": case.round, "due": due.isoformat()}
    return supervision


def do_close_case(actor: User, case_id: int, *, version: int | None = None) -> Case:
    """办结 after the round's return visit (the precondition)."""
    with changing_case(actor, case_id, Act.CLOSE, version=version) as change:
        case = change.case
        case.state = State.CLOSED
        case.closed_at = change.now
        stop_clocks(case, change.now, ClockKind.RETURN_VISIT)
        clear_work(case)
    return change.case

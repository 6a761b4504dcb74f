"""Putting notices in staff inboxes, inside the caller's transaction (so a change that rolls
back notifies nobody), and copies on the channels each person chose (notify.preferences)
into the outbox, in the same transaction. Who is told is a question of units and roles,
answered here once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from banchengshi.notify.models import Notification, NotificationKind, OutboxMessage
from banchengshi.notify.outbox import enqueue
from banchengshi.notify.preferences import Channel, channels_for
from banchengshi.notify.wording import sms_what, staff_email
from banchengshi.org.models import Membership, Role

TEMPLATE = "staff_notification"
# An address longer than the outbox keeps (User.email allows 254) cannot be written to it.
RECIPIENT_MAX = OutboxMessage._meta.get_field("recipient").max_length or 0


def people_of(unit_ids: Iterable[int], roles: Iterable[Role] | None = None) -> list[int]:
    """The active people holding a membership at one of the units (in one of the roles)."""
    memberships = Membership.objects.filter(unit_id__in=list(unit_ids), user__is_active=True)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return sorted(set(memberships.values_list("user_id", flat=True)))


def people_with(roles: Iterable[Role]) -> list[int]:
    """The active people holding one of the roles anywhere."""
    memberships = Membership.objects.filter(role__in=list(roles), user__is_active=True)
    return sorted(set(memberships.values_list("user_id", flat=True)))


def notify(
    *,
    user_ids: Iterable[int],
    kind: NotificationKind,
    case_id: int | None = None,
    params: dict[str, Any] | None = None,
) -> int:
    """One notice per person, and its copies by SMS and e-mail to those who chose them (a
    person without a mobile number or an e-mail address gets none there); returns how many
    notices were written. Queries: two whoever is told, two more and one per copy when
    someone wants copies."""
    now = timezone.now()
    params = params or {}
    people = sorted(set(user_ids))
    Notification.objects.bulk_create(
        [
            Notification(user_id=user_id, kind=kind, case_id=case_id, params=params, created_at=now)
            for user_id in people
        ]
    )
    wanted = {user_id: chans for user_id, chans in channels_for(people, kind).items() if chans}
    if wanted:
        _send_copies(wanted, kind=kind, case_id=case_id, params=params)
    return len(people)


def _send_copies(
    wanted: dict[int, frozenset[Channel]],
    *,
    kind: NotificationKind,
    case_id: int | None,
    params: dict[str, Any],
) -> None:
    contacts = get_user_model().objects.filter(pk__in=list(wanted), is_active=True)
    tracking_no = _tracking_no(case_id)
    email = staff_email(kind, params, tracking_no)
    sms = {"tracking_no": tracking_no or "", "what": sms_what(kind)}
    for user_id, address, mobile in contacts.order_by("pk").values_list(
        "pk", "email", "staff_profile__mobile"
    ):
        if Channel.SMS in wanted[user_id] and mobile:
            enqueue(
                channel=Channel.SMS.value,
                recipient=mobile,
                template=TEMPLATE,
                payload=dict(sms),
                case_id=case_id,
            )
        if Channel.EMAIL in wanted[user_id] and address and len(address) <= RECIPIENT_MAX:
            enqueue(
                channel=Channel.EMAIL.value,
                recipient=address,
                template=TEMPLATE,
                payload={"subject": email.subject, "body": email.body},
                case_id=case_id,
            )


def _tracking_no(case_id: int | None) -> str | None:
    """The case's number, read without importing the cases app (which imports this one)."""
    if case_id is None:
        return None
    case_model = apps.get_model("cases", "Case")
    number: str | None = (
        case_model.objects.filter(pk=case_id).values_list("tracking_no", flat=True).first()
    )
    return number

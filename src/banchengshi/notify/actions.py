"""What a person does with their own notices: mark one or all read, choose the channels of
each kind (and give the mobile number SMS go to). Nobody acts on another person's notices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.errors import InvalidInput, NotFound
from banchengshi.identifiers import validate_mobile
from banchengshi.ids import MAX_ID
from banchengshi.notify.models import Notification, NotificationKind, NotificationPreference
from banchengshi.notify.preferences import COPY_CHANNELS, Channel, Channels
from banchengshi.org.models import StaffProfile


def check_mark_read(user: User, notification_id: int) -> Notification:
    """An id that is no notice of this person's is not found, whosever it is: the answer
    tells nobody that another person's notice exists."""
    if not 1 <= notification_id <= MAX_ID:
        raise NotFound(_("There is no notice with this number among yours."))
    return do_mark_read(user, notification_id)


def do_mark_read(user: User, notification_id: int) -> Notification:
    """Trusts the id to be in range. A notice read before keeps the instant it was first
    read."""
    with transaction.atomic():
        notice = (
            Notification.objects.select_for_update(of=("self",))
            .filter(pk=notification_id, user=user)
            .select_related("case")
            .only("id", "kind", "params", "created_at", "read_at", "case_id", "case__tracking_no")
            .first()
        )
        if notice is None:
            raise NotFound(_("There is no notice with this number among yours."))
        if notice.read_at is None:
            notice.read_at = timezone.now()
            notice.save(update_fields=["read_at"])
    return notice


def do_mark_all_read(user: User) -> int:
    """Every unread notice of the person, in one UPDATE on the unread index; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def check_save_preferences(
    user: User, *, choices: Mapping[str, Iterable[str]], mobile: str
) -> None:
    """`choices`: for each kind, the channels wanted besides the inbox (a kind left out:
    the inbox only). SMS need a valid mobile number, e-mail an address on the account."""
    errors: dict[str, list[str | Promise]] = {}
    chosen: dict[NotificationKind, Channels] = {kind: frozenset() for kind in NotificationKind}
    for kind, channels in choices.items():
        if kind not in NotificationKind.values:
            raise InvalidInput({"kind": [_("Unknown kind of notice.")]})
        wanted = set(channels)
        if not wanted <= set(COPY_CHANNELS):
            raise InvalidInput({"channel": [_("Choose SMS or e-mail.")]})
        chosen[NotificationKind(kind)] = frozenset(Channel(c) for c in wanted)
    mobile = (mobile or "").strip()
    if mobile:
        try:
            mobile = validate_mobile(mobile)
        except ValidationError as exc:
            errors["mobile"] = list(exc.messages)
    if not mobile and "mobile" not in errors and any(Channel.SMS in c for c in chosen.values()):
        errors["mobile"] = [_("Give your mobile number to receive notices by SMS.")]
    if not user.email and any(Channel.EMAIL in c for c in chosen.values()):
        errors["email"] = [
            _("Your account has no e-mail address; ask your administrator to add one.")
        ]
    if errors:
        raise InvalidInput(errors)
    do_save_preferences(user, choices=chosen, mobile=mobile)


def do_save_preferences(
    user: User, *, choices: Mapping[NotificationKind, Channels], mobile: str
) -> None:
    """Trusts `choices` to name known kinds and channels and `mobile` to be valid or empty.
    The person's row is locked, so two saves of the same page do not interleave."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        StaffProfile.objects.update_or_create(user=user, defaults={"mobile": mobile})
        NotificationPreference.objects.filter(user=user).delete()
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(
                    user=user,
                    kind=kind,
                    sms=Channel.SMS in channels,
                    email=Channel.EMAIL in channels,
                )
                for kind, channels in choices.items()
            ]
        )

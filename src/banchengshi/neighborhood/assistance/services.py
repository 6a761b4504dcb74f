"""The service list's changes: the office keeps the district's list (no street), a street's
staff add what their street offers besides; a service is never deleted (requests name it),
only taken off the list. Each change writes one audit-chain event."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.audit.chain import PendingEvent, append_events
from banchengshi.cases.actions.common import optional_text
from banchengshi.catalog.models import Matter
from banchengshi.errors import Conflict, Forbidden, InvalidInput, NotFound
from banchengshi.ids import MAX_ID
from banchengshi.neighborhood.assistance.access import is_district, may_act
from banchengshi.neighborhood.assistance.models import Difficulty, ServiceItem
from banchengshi.org.models import Unit, UnitKind
from banchengshi.org.names import full_name
from banchengshi.org.scope import scope_for

AUDIT_PREFIX = "assistance.service_"


def _audit(item: ServiceItem, what: str, actor: User) -> None:
    append_events(
        [
            PendingEvent(
                case_id=None,
                actor_id=actor.pk,
                actor_label=full_name(actor),
                action=AUDIT_PREFIX + what,
                at=timezone.now(),
                before={},
                after={"difficulty": item.difficulty, "active": item.is_active},
                payload={"service": item.pk, "street": item.street_id, "matter": item.matter_id},
            )
        ]
    )


def _may_keep(actor: User, street_id: int | None) -> bool:
    if street_id is None:
        return is_district(scope_for(actor))
    return may_act(actor, street_id)


def _difficulty(value: str) -> Difficulty:
    if value not in Difficulty.values:
        raise InvalidInput({"difficulty": [_("Choose a difficulty.")]})
    return Difficulty(value)


def check_add_service(
    actor: User, *, street_id: int | None, matter_id: int | None, difficulty: str, note: str
) -> ServiceItem:
    street = None
    if street_id is not None:
        if not 1 <= street_id <= MAX_ID:
            raise InvalidInput({"street_id": [_("Choose a street.")]})
        street = Unit.objects.filter(pk=street_id, kind=UnitKind.CENTER, is_active=True).first()
        if street is None:
            raise InvalidInput({"street_id": [_("Choose a street.")]})
    if not _may_keep(actor, street_id):
        raise Forbidden(
            _("The office keeps the district's list; a street's staff add to their street's.")
        )
    matter = None
    if matter_id is not None and 1 <= matter_id <= MAX_ID:
        matter = Matter.objects.filter(pk=matter_id, is_active=True).first()
    if matter is None:
        raise InvalidInput({"matter_id": [_("Choose a service matter of the catalogue.")]})
    return do_add_service(
        actor,
        street=street,
        matter=matter,
        difficulty=_difficulty(difficulty),
        note=optional_text(note, field="note", limit=200),
    )


def do_add_service(
    actor: User, *, street: Unit | None, matter: Matter, difficulty: Difficulty, note: str
) -> ServiceItem:
    """Refused when the matter is on that list already (or, for a street, on the district's)."""
    with transaction.atomic():
        on_list = ServiceItem.objects.select_for_update().filter(matter=matter)
        on_list = on_list.filter(street=None) | on_list.filter(street=street)
        if on_list.exists():
            raise Conflict(_("This matter is on the list already."))
        try:
            with transaction.atomic():
                item = ServiceItem.objects.create(
                    matter=matter, street=street, difficulty=difficulty, note=note
                )
        except IntegrityError:  # added by someone else meanwhile
            raise Conflict(_("This matter is on the list already.")) from None
        _audit(item, "added", actor)
    return item


def check_change_service(
    actor: User, item_id: int, *, difficulty: str, active: bool, note: str
) -> ServiceItem:
    return do_change_service(
        actor,
        item_id,
        difficulty=_difficulty(difficulty),
        active=active,
        note=optional_text(note, field="note", limit=200),
    )


def do_change_service(
    actor: User, item_id: int, *, difficulty: Difficulty, active: bool, note: str
) -> ServiceItem:
    with transaction.atomic():
        item = (
            ServiceItem.objects.select_for_update().filter(pk=item_id).first()
            if 1 <= item_id <= MAX_ID
            else None
        )
        if item is None:
            raise NotFound(_("No such service on the list."))
        if not _may_keep(actor, item.street_id):
            raise Forbidden(
                _("The office keeps the district's list; a street's staff add to their street's.")
            )
        item.difficulty, item.is_active, item.note = difficulty, active, note
        item.save()
        _audit(item, "changed", actor)
    return item

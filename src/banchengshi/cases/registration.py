"""What the registration form holds (R-IN-1), and its validation with a message per field."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import MAX_TEXT, Case, Category, Channel, Complexity, PetitionerType
from banchengshi.cases.special_groups import SpecialGroupInput, clean_special_groups
from banchengshi.errors import InvalidInput
from banchengshi.identifiers import (
    validate_contact_phone,
    validate_credit_code,
    validate_id_number,
)

MAX_BACKDATE = dt.timedelta(days=30)


@dataclass(frozen=True)
class Registration:
    channel: str
    petitioner_type: str
    petitioner_name: str
    phone: str
    description: str
    registered_unit_id: int | None = None
    received_at: dt.datetime | None = None
    window: str = ""
    id_number: str = ""
    enterprise_name: str = ""
    credit_code: str = ""
    matter_id: int | None = None
    matter_text: str = ""
    department_id: int | None = None
    failed_at_unit_id: int | None = None
    online_application_no: str = ""
    visits_count: int = 1
    request: str = ""
    category: str = Category.HANDLING
    complexity: str = Complexity.GENERAL
    external_source: str = ""
    external_id: str = ""
    # The fast channel (绿色通道): special-group flags and the consent to record them.
    special: SpecialGroupInput = dataclasses.field(default_factory=SpecialGroupInput)


def clean_registration(data: Registration, now: dt.datetime | None = None) -> Registration:
    """Normalise the fields and collect every problem at once, each under its field."""
    now = now or timezone.now()
    errors: dict[str, list[str | Promise]] = {}

    def fail(field: str, message: str | Promise) -> None:
        errors.setdefault(field, []).append(message)

    def validated(field: str, validator: type | object, value: str) -> str:
        try:
            return validator(value)  # type: ignore[operator]
        except ValidationError as exc:
            for message in exc.messages:
                fail(field, message)
            return value

    if data.channel not in Channel.values:
        fail("channel", _("Unknown channel."))
    if data.petitioner_type not in PetitionerType.values:
        fail("petitioner_type", _("Choose person or enterprise."))
    if data.category not in Category.values:
        fail("category", _("Unknown category."))
    if data.complexity not in Complexity.values:
        fail("complexity", _("Unknown complexity."))
    name = data.petitioner_name.strip()
    if not name:
        fail("petitioner_name", _("The name is required."))
    elif len(name) > 100:
        fail("petitioner_name", _("The name is too long (at most 100 characters)."))
    phone = validated("phone", validate_contact_phone, data.phone.strip()) if data.phone else ""
    if not data.phone.strip():
        fail("phone", _("A contact phone number is required."))
    id_number = (
        validated("id_number", validate_id_number, data.id_number.strip())
        if data.id_number.strip()
        else ""
    )
    credit_code = ""
    enterprise_name = data.enterprise_name.strip()
    if data.petitioner_type == PetitionerType.ENTERPRISE:
        if not enterprise_name:
            fail("enterprise_name", _("The enterprise name is required for an enterprise."))
        if not data.credit_code.strip():
            fail("credit_code", _("The unified social credit code is required."))
        else:
            credit_code = validated("credit_code", validate_credit_code, data.credit_code.strip())
    description = data.description.strip()
    if len(description) < 5:
        fail("description", _("Describe what could not be done (at least 5 characters)."))
    for field in ("description", "request"):
        if len(getattr(data, field)) > MAX_TEXT:
            fail(
                field,
                _("The text is too long (at most %(limit)d characters).") % {"limit": MAX_TEXT},
            )
    # Other systems send whatever they hold; the columns' lengths are the limit.
    for field in ("window", "enterprise_name", "matter_text", "online_application_no"):
        limit = getattr(Case._meta.get_field(field), "max_length", None)
        if limit is not None and len(getattr(data, field).strip()) > limit:
            fail(field, _("Too long: at most %(limit)d characters.") % {"limit": limit})
    if data.matter_id is None and not data.matter_text.strip():
        fail("matter_id", _("Choose the service matter, or describe it when it is not listed."))
    if not 1 <= data.visits_count <= 99:
        fail("visits_count", _("The number of visits must be between 1 and 99."))
    received_at = data.received_at or now
    if timezone.is_naive(received_at):
        fail("received_at", _("The time received needs a time zone."))
    elif received_at > now + dt.timedelta(minutes=5):
        fail("received_at", _("The time received cannot be in the future."))
    elif received_at < now - MAX_BACKDATE:
        fail("received_at", _("The time received cannot be more than 30 days ago."))
    if bool(data.external_source) != bool(data.external_id):
        fail("external_id", _("An external record needs both its source and its id."))
    special, special_errors = clean_special_groups(data.special)
    for name, messages in special_errors.items():
        for message in messages:
            fail(name, message)
    if errors:
        raise InvalidInput(errors)
    return replace(
        data,
        petitioner_name=name,
        phone=phone,
        id_number=id_number,
        credit_code=credit_code,
        enterprise_name=enterprise_name,
        description=description,
        request=data.request.strip(),
        matter_text=data.matter_text.strip(),
        window=data.window.strip(),
        online_application_no=data.online_application_no.strip(),
        received_at=received_at,
        special=special,
    )

"""The window's registration form: register an appeal and deal with it in one step (R-IN-4,
R-IN-6, R-DIS-1)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from banchengshi.cases import access
from banchengshi.cases.actions.common import text_value
from banchengshi.cases.actions.dispatch import check_resolve_on_spot, check_screen_case
from banchengshi.cases.actions.registration import check_register_case
from banchengshi.cases.models import Case
from banchengshi.cases.registration import Registration, clean_registration
from banchengshi.errors import Forbidden, InvalidInput
from banchengshi.org.scope import scope_for


class Outcome(StrEnum):
    """What the clerk does with an appeal registered at the window."""

    ON_THE_SPOT = "on_the_spot"
    NOT_ADMISSIBLE = "not_admissible"
    ACCEPT = "accept"


def window_units(actor: User) -> list[int]:
    """The units where the person registers appeals at a window; refused for anyone else (the
    hub registers through the API, not at a window)."""
    units = access.window_units(scope_for(actor))
    if not units:
        raise Forbidden(_("Only window clerks and window heads register appeals at a window."))
    return units


def validate_window_registration(
    data: Registration, outcome: str, *, reason: str = "", reply: str = ""
) -> Registration:
    """Every problem of the window's form at once: the registration's fields and the text the
    chosen outcome needs, so the clerk corrects them in one pass."""
    errors: dict[str, list[Any]] = {}
    try:
        data = clean_registration(data)
    except InvalidInput as exc:
        errors.update(exc.errors)
    try:
        if outcome == Outcome.ON_THE_SPOT:
            text_value(reply, field="reply", label=_("The reply"), minimum=5)
        elif outcome == Outcome.NOT_ADMISSIBLE:
            text_value(reason, field="reason", label=_("The reason"), minimum=5)
        elif outcome != Outcome.ACCEPT:
            raise InvalidInput({"outcome": [_("Choose how the appeal is dealt with.")]})
    except InvalidInput as exc:
        errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors)
    return data


def check_register_at_window(
    actor: User, data: Registration, outcome: str, *, reason: str = "", reply: str = ""
) -> Case:
    """Register an appeal and, in the same transaction, resolve it on the spot, refuse it as not
    admissible with the explanation, or accept it (dispatched automatically, R-DIS-1). If the
    second step is refused, the registration is rolled back with it: no case is left
    registered but not dealt with."""
    window_units(actor)
    validate_window_registration(data, outcome, reason=reason, reply=reply)
    with transaction.atomic():
        case = check_register_case(actor, data)
        if outcome == Outcome.ON_THE_SPOT:
            return check_resolve_on_spot(actor, case.pk, reply=reply, category=data.category)
        return check_screen_case(
            actor,
            case.pk,
            admissible=outcome == Outcome.ACCEPT,
            category=data.category,
            complexity=data.complexity,
            reason=reason,
        )

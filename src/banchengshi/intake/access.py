"""Giving a petitioner the access code of an appeal (intake.tracking): on a public page
(intake.portal) and at a window, where the clerk prints it on the registration form. The code
is made and its SMS queued in the caller's transaction, so a case never has a code its
petitioner was not given, nor an SMS with a code that was rolled back."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction

from banchengshi.cases.actions.window import check_register_at_window
from banchengshi.cases.models import Case
from banchengshi.cases.registration import Registration
from banchengshi.intake.tracking import issue_access_code
from banchengshi.notify.outbox import text_petitioner


def grant_access_code(case: Case) -> str:
    """A new access code for `case`, sent by SMS to a mobile phone (a landline gets none, so
    the caller shows it once too); only its hash is kept."""
    code = issue_access_code(case)
    text_petitioner(
        phone=case.phone,
        tracking_no=case.tracking_no,
        case_id=case.pk,
        template="appeal_filed",
        payload={"access_code": code},
    )
    return code


@dataclass(frozen=True)
class WindowRegistration:
    case: Case
    # Printed once on the registration form; only its hash is kept.
    access_code: str


def check_register_with_code(
    actor: User, data: Registration, outcome: str, *, reason: str = "", reply: str = ""
) -> WindowRegistration:
    """An appeal registered and dealt with at the window (cases.actions.window), with an
    access code, so the petitioner tracks and rates it as one filed online does."""
    with transaction.atomic():
        case = check_register_at_window(actor, data, outcome, reason=reason, reply=reply)
        return WindowRegistration(case, grant_access_code(case))

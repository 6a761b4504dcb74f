"""A petitioner registered at the window gets an access code as one filing online does
(R-IN-2, R-RV-2): printed once on the registration form, sent by SMS to a mobile phone, and
it opens the tracking page and rates the reply; the phone's last four digits do neither."""

from __future__ import annotations

import re

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse

from banchengshi.cases.actions.answer import check_reply_case
from banchengshi.cases.actions.dispatch import do_receive_case
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.models import Case, ReturnVisit
from banchengshi.intake import access
from banchengshi.intake.models import PublicAccess
from banchengshi.notify.models import OutboxMessage
from tests.cases.conftest import PHONE, FrozenTime, Org
from tests.web.conftest import SignedIn
from tests.web.test_register import REGISTER, english, form, only_case

CODE_ON_SLIP = re.compile(r'id="slip-access-code">(\d{4} \d{4})<')
WAITING = "The petitioner's access code is printed on the registration form, only once"


def registered(client: Client, org: Org, **fields: str) -> tuple[Case, str]:
    """Register at the window and print the form; (case, access code printed on it)."""
    response = client.post(REGISTER, form(matter_id=org.matter_a.pk, **fields))
    assert response.status_code == 302
    case = only_case()
    done = client.get(response["Location"]).content.decode()
    assert WAITING in done
    # The confirmation page does not show the code itself: the slip is where it is given.
    slip = client.get(reverse("web:print_slip", args=[case.pk])).content.decode()
    found = CODE_ON_SLIP.findall(slip)
    assert len(found) == 1
    return case, found[0]


def test_the_code_is_made_printed_once_and_sent_by_sms(org: Org, signed_in: SignedIn) -> None:
    client = english(signed_in)
    case, code = registered(client, org)
    assert PublicAccess.objects.filter(case=case).count() == 1
    [sms] = OutboxMessage.objects.filter(case=case, channel="sms")
    assert (sms.template, sms.recipient) == ("appeal_filed", PHONE)
    assert sms.payload == {"tracking_no": case.tracking_no, "access_code": code.replace(" ", "")}
    assert (
        code.replace(" ", "")
        not in client.get(reverse("web:case", args=[case.pk])).content.decode()
    )
    # A reprint, and the confirmation page again, have no code.
    reprint = client.get(reverse("web:print_slip", args=[case.pk])).content.decode()
    assert 'id="slip-access-code"' not in reprint
    assert code not in reprint
    done = client.get(reverse("web:register_done", args=[case.pk])).content.decode()
    assert WAITING not in done


def test_a_landline_gets_the_code_only_on_paper(org: Org, signed_in: SignedIn) -> None:
    case, code = registered(english(signed_in), org, phone="021-62345678")
    assert re.fullmatch(r"\d{4} \d{4}", code)
    assert not OutboxMessage.objects.filter(case=case, channel="sms").exists()


def test_the_code_is_printed_only_for_its_case_and_not_after_ten_minutes(
    org: Org, signed_in: SignedIn, frozen_time: FrozenTime
) -> None:
    client = english(signed_in)
    client.post(REGISTER, form(matter_id=org.matter_a.pk))
    case = only_case()
    other = reverse("web:print_slip", args=[case.pk + 1])
    assert 'id="slip-access-code"' not in client.get(other).content.decode()
    frozen_time.advance(seconds=601)
    slip = client.get(reverse("web:print_slip", args=[case.pk])).content.decode()
    assert 'id="slip-access-code"' not in slip
    assert PublicAccess.objects.filter(case=case).exists()


def test_a_refused_registration_leaves_no_code_and_no_sms(org: Org, signed_in: SignedIn) -> None:
    response = english(signed_in).post(REGISTER, form(description=""))
    assert response.status_code == 422
    assert not PublicAccess.objects.exists()
    assert not OutboxMessage.objects.exists()


def replied(org: Org, case: Case) -> None:
    do_receive_case(org.handler_a, case.pk)
    check_record_cause(org.handler_a, case.pk, code="materials", note="申请人未提供股东会决议")
    check_reply_case(org.handler_a, case.pk, text="已电话告知需补交股东会决议，补交后当日办结")


def test_the_code_tracks_and_rates_the_reply(org: Org, signed_in: SignedIn) -> None:
    case, code = registered(english(signed_in), org)
    replied(org, case)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post("/track/", {"tracking_no": case.tracking_no, "secret": code})
    assert response.status_code == 302
    assert response["Location"] == f"/track/{case.tracking_no}/"
    page = client.get(response["Location"]).content.decode()
    assert "已电话告知需补交股东会决议" in page
    assert 'id="rating-form"' in page
    rated = client.post(f"/track/{case.tracking_no}/rate/", {"satisfaction": "5", "solved": "1"})
    assert rated.status_code == 302
    assert rated["Location"] == f"/track/{case.tracking_no}/?rated=1"
    visit = ReturnVisit.objects.get(case=case)
    assert (visit.by, visit.channel, visit.satisfaction, visit.solved) == (
        "petitioner",
        "portal",
        5,
        True,
    )


def test_the_kiosk_takes_the_code_too(org: Org, signed_in: SignedIn) -> None:
    case, code = registered(english(signed_in), org)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post("/kiosk/track/", {"tracking_no": case.tracking_no, "secret": code})
    assert response.status_code == 302
    assert response["Location"] == f"/kiosk/track/{case.tracking_no}/"


def test_the_phones_digits_neither_open_nor_rate(org: Org, signed_in: SignedIn) -> None:
    case, _ = registered(english(signed_in), org)
    replied(org, case)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    response = client.post("/track/", {"tracking_no": case.tracking_no, "secret": PHONE[-4:]})
    assert response.status_code == 422
    assert "编号与查询码（或手机号后四位）不一致" in response.content.decode()
    rate = client.post(f"/track/{case.tracking_no}/rate/", {"satisfaction": "5", "solved": "1"})
    assert rate.status_code == 302
    assert rate["Location"] == f"/track/?no={case.tracking_no}"
    assert not ReturnVisit.objects.exists()


def test_no_case_is_left_without_its_code(
    org: Org, signed_in: SignedIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**message: object) -> None:
        raise IntegrityError("simulated failure while queueing the SMS")

    monkeypatch.setattr(access, "text_petitioner", broken)
    with pytest.raises(IntegrityError):
        english(signed_in).post(REGISTER, form(matter_id=org.matter_a.pk))
    assert not Case.objects.exists()
    assert not PublicAccess.objects.exists()

"""An appeal filed on a public page, as the staff see it: on the hub's worklist to be screened,
its page, printouts and audit trail naming the petitioner as the actor, its files, and the
petitioner's rating among the return visits."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from banchengshi.cases.actions.answer import check_rate_case, check_reply_case
from banchengshi.cases.actions.dispatch import check_screen_case, do_receive_case
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.models import Case, ReturnVisit
from banchengshi.intake import portal
from tests.cases.conftest import Org
from tests.cases.test_attachments import PNG_BYTES
from tests.intake.test_portal import appeal
from tests.web.conftest import SignedIn


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def filed_case(org: Org) -> Case:
    photo = SimpleUploadedFile("窗口告知单.png", PNG_BYTES)
    return portal.check_file_appeal(appeal(org, channel="mobile"), [photo]).case


def test_the_hub_screens_it_from_its_worklist(org: Org, staff: SignedIn) -> None:
    case = filed_case(org)
    hub = staff("dispatcher")
    worklist = hub.get("/staff/").content.decode()
    assert case.tracking_no in worklist
    page = hub.get(f"/staff/cases/{case.pk}/").content.decode()
    assert "mobile page" in page
    assert "窗口告知单.png" in page
    assert 'id="panel-screen"' in page
    check_screen_case(org.dispatcher, case.pk, admissible=True)
    assert Case.objects.get(pk=case.pk).handling_unit_id == org.dept_a.pk


@pytest.mark.parametrize(
    "path", ["/staff/cases/{id}/print/slip/", "/staff/inspect/cases/{id}/audit/"]
)
def test_printouts_and_the_audit_trail_name_the_petitioner(
    org: Org, staff: SignedIn, path: str
) -> None:
    case = filed_case(org)
    who = "inspector" if "inspect" in path else "dispatcher"
    response = staff(who).get(path.format(id=case.pk))
    assert response.status_code == 200
    if "audit" in path:
        assert "反映人" in response.content.decode()


def test_the_rating_is_among_the_return_visits(org: Org, staff: SignedIn) -> None:
    case = filed_case(org)
    check_screen_case(org.dispatcher, case.pk, admissible=True)
    do_receive_case(org.handler_a, case.pk)
    check_record_cause(org.handler_a, case.pk, code="system_fault", note="网上申报系统未同步材料")
    check_reply_case(org.handler_a, case.pk, text="已协调系统同步材料，今日完成办理")
    check_rate_case(
        case.pk,
        satisfaction=2,
        solved=False,
        comment="还是没办好",
        channel=ReturnVisit.Channel.SMS_LINK,
        proof="sms_link",
    )
    page = staff("dispatcher").get(f"/staff/cases/{case.pk}/").content.decode()
    assert "the petitioner" in page
    assert "link in the reply&#x27;s SMS" in page or "link in the reply's SMS" in page
    assert "Rated by the petitioner" in page
    api = staff("dispatcher").get(f"/api/v1/cases/{case.pk}").json()
    (visit,) = api["return_visits"]
    assert (visit["by"], visit["visited_by"], visit["channel"]) == ("petitioner", "", "sms_link")

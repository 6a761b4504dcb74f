"""Every look at an unmasked phone, ID number or credit code is logged (R-Q-3, issue 15 item
6): the case page, its printouts, the API's case, a remote session, the ledger exported with
full numbers; the inspector reads the log at /staff/inspect/pii-views/ with filters."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from banchengshi.audit.models import PersonalDataView
from banchengshi.tokens.actions import do_create_token
from tests.cases.conftest import CREDIT_CODE, PHONE, CaseBuilder, FrozenTime, Org, sh
from tests.web.conftest import SignedIn


def logged() -> list[tuple[str, str, str, str, int]]:
    return [
        (view.user_label, view.subject, view.fields, view.path, view.rows)
        for view in PersonalDataView.objects.select_related("user").order_by("id")
    ]


def test_a_case_page_with_full_numbers_is_logged_a_masked_one_not(
    org: Org, cases: CaseBuilder, staff: SignedIn
) -> None:
    case = cases.in_progress(
        petitioner_type="enterprise", enterprise_name="某某贸易有限公司", credit_code=CREDIT_CODE
    )
    path = reverse("web:case", args=[case.pk])
    assert staff("handler_a").get(path).status_code == 200
    leader = staff("leader_a").get(path).content.decode()
    # The credit code is masked as the ID number is, for those who do not call.
    assert CREDIT_CODE not in leader
    assert "913101********000Q" in leader
    assert staff("handler_a").get(reverse("web:print_slip", args=[case.pk])).status_code == 200
    handler = org.handler_a.get_full_name() or "handler_a"
    assert logged() == [
        (handler, case.tracking_no, "phone,id_number,credit_code", path, 1),
        (
            handler,
            case.tracking_no,
            "phone,id_number,credit_code",
            reverse("web:print_slip", args=[case.pk]),
            1,
        ),
    ]
    view = PersonalDataView.objects.first()
    assert view is not None
    assert (view.user, view.case_id) == (org.handler_a, case.pk)


def test_the_apis_case_is_logged(org: Org, cases: CaseBuilder) -> None:
    case = cases.in_progress()
    api = Client(headers={"Authorization": f"Bearer {do_create_token(org.handler_a, 't')[1]}"})
    body = api.get(f"/api/v1/cases/{case.pk}").json()
    assert body["phone"] == PHONE
    masked = Client(
        headers={"Authorization": f"Bearer {do_create_token(org.inspector, 't')[1]}"}
    ).get(f"/api/v1/cases/{case.pk}")
    assert masked.json()["phone"] == "138****5678"
    assert [(subject, fields, path) for _who, subject, fields, path, _rows in logged()] == [
        (case.tracking_no, "phone,id_number", f"/api/v1/cases/{case.pk}")
    ]


def test_a_ledger_with_full_numbers_is_one_view_of_all_its_rows(
    org: Org, cases: CaseBuilder, signed_in: SignedIn
) -> None:
    for _ in range(3):
        cases.register()
    masked = signed_in("dispatcher").get("/staff/reports/ledger/?period=2026-11")
    assert masked.status_code == 200
    assert not PersonalDataView.objects.exists()
    path = "/staff/reports/ledger/?period=2026-11&personal=full"
    full = signed_in("dispatcher").get(path)
    assert full.status_code == 200
    (view,) = PersonalDataView.objects.all()
    assert (view.subject, view.fields, view.path, view.rows) == (
        "ledger 2026-11",
        "phone,id_number,credit_code",
        path,
        3,
    )


def test_the_inspector_reads_and_filters_the_log(
    org: Org, cases: CaseBuilder, staff: SignedIn, frozen_time: FrozenTime
) -> None:
    first = cases.in_progress()
    frozen_time.set(sh(2026, 11, 21, 9))
    second = cases.in_progress(phone="13900001111")
    staff("handler_a").get(reverse("web:case", args=[second.pk]))
    frozen_time.set(sh(2026, 11, 23, 9))
    staff("dispatcher").get(reverse("web:case", args=[first.pk]))
    inspector = staff("inspector")
    url = reverse("web:inspect_pii_views")

    def subjects(**query: str) -> list[str]:
        response = inspector.get(url, query)
        assert response.status_code == 200
        html = response.content.decode()
        return [n for n in (first.tracking_no, second.tracking_no) if n in html]

    assert subjects() == [first.tracking_no, second.tracking_no]
    assert subjects(user="handlerA") == [second.tracking_no]
    assert subjects(subject=first.tracking_no.lower()) == [first.tracking_no]
    assert subjects(field="credit_code") == []
    assert subjects(since="2026-11-22") == [first.tracking_no]
    assert subjects(until="2026-11-21") == [second.tracking_no]
    # Bad filters are ignored with their message, never a server error.
    assert inspector.get(url, {"since": "2026-13-45", "page": "²"}).status_code == 200
    refused = staff("handler_a").get(url)
    assert refused.status_code == 403
    assert "Only inspectors and office administrators read the audit trail." in (
        refused.content.decode()
    )

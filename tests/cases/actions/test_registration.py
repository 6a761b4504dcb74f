"""Registering an appeal from any channel (cases/actions/registration.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import (
    NO_DUE,
    Case,
    State,
)
from banchengshi.errors import Forbidden, InvalidInput
from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role
from tests.cases.actions.helpers import (
    clocks,
    events,
    fresh,
    links,
    refused,
    work,
)
from tests.cases.conftest import (
    CREDIT_CODE,
    ID_NUMBER,
    NOW,
    PHONE,
    CaseBuilder,
    Org,
    sh,
)

# --- registration ---------------------------------------------------------------------------


def test_register_at_the_window(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(received_at=sh(2026, 11, 2, 9, 30), window="3号窗口")
    case = fresh(case)
    assert case.tracking_no == "PT-2026-000001"
    assert case.state == State.REGISTERED
    assert case.registered_unit_id == org.hall.pk
    assert case.registered_by == org.clerk
    assert case.received_at == sh(2026, 11, 2, 9, 30)
    assert (case.window, case.phone, case.id_number) == ("3号窗口", PHONE, ID_NUMBER)
    assert case.policy.key == "putuo@2023.3"
    assert (case.version, case.round, case.returns_count) == (1, 1, 0)
    assert case.owner_unit_id is None
    assert case.handling_unit_id is None
    assert links(case) == {(org.hall.pk, "registered")}
    assert work(case) == [("screen", org.hall.pk, NO_DUE)]
    assert clocks(case) == {}
    [event] = events(case)
    assert (event.action, event.actor_id, event.actor_label) == ("register", org.clerk.pk, "clerk")
    assert event.before == {}
    assert event.after == {"state": "registered", "tracking_no": "PT-2026-000001"}
    assert event.payload == {"channel": "window"}
    assert cases.register().tracking_no == "PT-2026-000002"


def test_registration_normalises_identifiers(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(
        petitioner_type="enterprise",
        enterprise_name=" 上海某某贸易有限公司 ",
        credit_code="91310107ma1g00000q",
        phone="+86 138-1234-5678",
        id_number="",
    )
    case = fresh(case)
    assert case.credit_code == CREDIT_CODE
    assert case.enterprise_name == "上海某某贸易有限公司"
    assert case.phone == PHONE
    assert case.received_at == NOW


def test_dispatcher_registers_at_the_hub(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(actor=org.dispatcher, channel="hotline_12345")
    assert case.registered_unit_id == org.hub.pk
    assert work(case) == [("screen", org.hub.pk, NO_DUE)]


@pytest.mark.parametrize("who", ["handler_a", "inspector", "sysadmin", "officeadmin"])
def test_only_windows_and_the_hub_register(org: Org, cases: CaseBuilder, who: str) -> None:
    error = refused(lambda: cases.register(actor=org.user(who), registered_unit_id=org.hall.pk))
    assert isinstance(error, Forbidden)
    assert Case.objects.count() == 0


def test_a_clerk_registers_only_at_their_own_center(org: Org, cases: CaseBuilder) -> None:
    error = refused(lambda: cases.register(registered_unit_id=org.center_a1.pk))
    assert error.code == "forbidden"


def test_a_clerk_of_two_centers_must_choose(org: Org, cases: CaseBuilder) -> None:
    do_grant_role(org.clerk, org.center_a1, Role.WINDOW_CLERK)
    clerk = User.objects.get(pk=org.clerk.pk)  # no cached scope
    error = refused(lambda: cases.register(actor=clerk))
    assert isinstance(error, InvalidInput)
    assert error.field == "registered_unit_id"
    assert cases.register(actor=clerk, registered_unit_id=org.center_a1.pk).registered_unit_id


REGISTRATION_ERRORS = [
    pytest.param({"phone": "12345"}, "phone", id="bad-phone"),
    pytest.param({"phone": "  "}, "phone", id="no-phone"),
    pytest.param({"id_number": "310107199003072013"}, "id_number", id="id-checksum"),
    pytest.param({"id_number": "31010719900307201"}, "id_number", id="id-length"),
    pytest.param(
        {"petitioner_type": "enterprise", "enterprise_name": "某公司", "credit_code": ""},
        "credit_code",
        id="enterprise-without-credit-code",
    ),
    pytest.param(
        {
            "petitioner_type": "enterprise",
            "enterprise_name": "某公司",
            "credit_code": "91310107MA1G00000A",
        },
        "credit_code",
        id="credit-code-checksum",
    ),
    pytest.param(
        {"petitioner_type": "enterprise", "credit_code": CREDIT_CODE},
        "enterprise_name",
        id="enterprise-without-name",
    ),
    pytest.param({"received_at": sh(2026, 11, 20, 11)}, "received_at", id="future"),
    pytest.param({"received_at": sh(2026, 10, 20, 9, 59)}, "received_at", id="31-days-ago"),
    pytest.param({"received_at": dt.datetime(2026, 11, 20, 9)}, "received_at", id="naive"),  # noqa: DTZ001
    pytest.param({"matter_id": 999_999}, "matter_id", id="unknown-matter"),
    pytest.param({"matter_text": ""}, "matter_id", id="no-matter-at-all"),
    pytest.param({"department_id": 999_999}, "department_id", id="unknown-department"),
    pytest.param({"description": "办不成"}, "description", id="short-description"),
    pytest.param({"description": "很" * 5001}, "description", id="long-description"),
    pytest.param({"petitioner_name": " "}, "petitioner_name", id="no-name"),
    pytest.param({"channel": "fax"}, "channel", id="unknown-channel"),
    pytest.param({"category": "gossip"}, "category", id="unknown-category"),
    pytest.param({"complexity": "huge"}, "complexity", id="unknown-complexity"),
    pytest.param({"visits_count": 0}, "visits_count", id="visits-0"),
    pytest.param({"external_source": "12345"}, "external_id", id="source-without-id"),
    pytest.param({"window": "9" * 61}, "window", id="long-window"),
    pytest.param({"matter_text": "事" * 201}, "matter_text", id="long-matter-text"),
    pytest.param(
        {"online_application_no": "1" * 65}, "online_application_no", id="long-application-no"
    ),
]


@pytest.mark.parametrize(("fields", "field"), REGISTRATION_ERRORS)
def test_registration_input_errors(
    org: Org, cases: CaseBuilder, fields: dict[str, Any], field: str
) -> None:
    error = refused(lambda: cases.register(**fields))
    assert isinstance(error, InvalidInput)
    assert error.code == "invalid"
    assert error.field == field
    assert Case.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_registration_reports_every_field_at_once(org: Org, cases: CaseBuilder) -> None:
    error = refused(lambda: cases.register(phone="123", id_number="123", description="短"))
    assert isinstance(error, InvalidInput)
    assert set(error.errors) == {"phone", "id_number", "description"}


def test_received_exactly_30_days_ago_is_accepted(org: Org, cases: CaseBuilder) -> None:
    case = cases.register(received_at=sh(2026, 10, 21, 10))
    assert case.received_at == sh(2026, 10, 21, 10)


def test_unknown_failed_at_unit_is_reported_under_its_own_field(
    org: Org, cases: CaseBuilder
) -> None:
    error = refused(lambda: cases.register(failed_at_unit_id=999_999))
    assert isinstance(error, InvalidInput)
    assert error.field == "failed_at_unit_id"


def test_a_case_is_never_auto_dispatched_to_the_inspectorate(org: Org, cases: CaseBuilder) -> None:
    refused_field, handling_unit_id = "", None
    try:
        case = cases.awaiting(department_id=org.inspectorate.pk)
        handling_unit_id = case.handling_unit_id
    except InvalidInput as error:  # refusing the form is a fine answer too
        refused_field = error.field
    assert refused_field == "department_id" or handling_unit_id != org.inspectorate.pk

"""Open311 GeoReport v2 at /open311/v2/ (R-API-2): read by the third-party `georeport` client,
filed by plain HTTP, the same content in XML and JSON, the spec's errors, no personal data."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from georeport import GeoReport

from banchengshi.cases.actions.answer import check_supervise_case
from banchengshi.cases.models import Case, Channel, State
from banchengshi.intake.models import Open311Request
from tests.cases.conftest import ID_NUMBER, PHONE, CaseBuilder, FrozenTime, Org, sh
from tests.intake.conftest import System, token_for
from tests.intake.open311_client import as_text, both_formats, georeport_clients
from tests.web.test_edge_input import CONTROL_REFUSED


@pytest.fixture
def client() -> Client:
    """As an Open311 client: no session, no CSRF token (the views must not ask for one)."""
    return Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})


@pytest.fixture
def georeport(org: Org, client: Client, monkeypatch: pytest.MonkeyPatch) -> dict[str, GeoReport]:
    return georeport_clients(monkeypatch, client)


def filing(system: System, **changes: str) -> dict[str, str]:
    """A valid form of POST requests; `changes` override its fields."""
    form = {
        "api_key": system.token,
        "service_code": "M-A",
        "lat": "31.2304",
        "long": "121.4737",
        "first_name": "三",
        "last_name": "张",
        "phone": PHONE,
        "description": "营业执照变更登记网上提交后一直显示审核中，电话13912345678联系不上",
        "attribute[category]": "complaint",
        "attribute[visits_count]": "3",
    }
    form.update(changes)
    return form


def file_request(client: Client, form: dict[str, str], fmt: str = "json") -> HttpResponse:
    return client.post(
        f"/open311/v2/requests.{fmt}",
        data=urlencode(form),
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )


def errors_of(response: HttpResponse) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = json.loads(response.content)
    return body


# --- services ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_lists_the_public_catalogue(
    org: Org, georeport: dict[str, GeoReport], fmt: str
) -> None:
    org.matter_a.legal_limit_days = 20
    org.matter_a.online = True
    org.matter_a.save()
    org.matter_h.is_public = False
    org.matter_h.save()
    services = georeport[fmt].get_service_list()
    # xmltodict gives one <service> as a mapping, several as a list.
    service = services[0] if isinstance(services, list) else services
    assert isinstance(services, dict) or len(services) == 1
    metadata, kind = service["metadata"], service["type"]
    assert (service["service_code"], service["service_name"]) == ("M-A", "营业执照变更登记")
    assert service["description"] == "Handled by 区市场监管局. Legal time limit: 20 working days."
    assert str(metadata).lower() == "true"
    assert (kind, service["keywords"], service["group"]) == ("batch", "online", "区市场监管局")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_reads_a_service_definition(
    org: Org, georeport: dict[str, GeoReport], fmt: str
) -> None:
    definition = georeport[fmt].get_service_definition("M-A")
    assert definition["service_code"] == "M-A"
    attributes = definition["attributes"]
    if fmt == "xml":
        attributes = attributes["attribute"]
    codes = [attribute["code"] for attribute in attributes]
    assert codes == [
        "petitioner_type",
        "enterprise_name",
        "credit_code",
        "id_number",
        "online_application_no",
        "visits_count",
        "request",
        "category",
    ]
    category = attributes[-1]
    assert category["datatype"] == "singlevaluelist"
    values = category["values"] if fmt == "json" else category["values"]["value"]
    assert [value["key"] for value in values] == [
        "consultation",
        "handling",
        "complaint",
        "suggestion",
    ]
    assert [str(a["order"]) for a in attributes] == [str(n) for n in range(1, 9)]


def test_an_unknown_or_private_service_is_not_found(org: Org, client: Client) -> None:
    org.matter_h.is_public = False
    org.matter_h.save()
    for code in ("NOPE", "M-H"):
        response = client.get(f"/open311/v2/services/{code}.json")
        assert response.status_code == 404
        assert errors_of(response) == [
            {"code": 404, "description": f"service_code “{code}” was not found."}
        ]


# --- filing ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_filing_a_request_and_following_it(
    org: Org, system: System, client: Client, georeport: dict[str, GeoReport], fmt: str
) -> None:
    response = file_request(client, filing(system), fmt)
    assert response.status_code == 200, response.content
    filed = Open311Request.objects.get()
    if fmt == "json":
        [answer] = json.loads(response.content)
        assert answer["token"] == filed.token
        assert answer["account_id"] is None
        assert "service_request_id" not in answer  # the spec: never with a token
    else:
        assert f"<token>{filed.token}</token>" in response.content.decode()
    case = filed.case
    assert (case.channel, case.state, case.registered_unit) == (
        Channel.OPEN311,
        State.REGISTERED,
        org.hub,
    )
    assert (case.petitioner_name, case.phone, case.matter) == ("张三", PHONE, org.matter_a)
    assert (case.category, case.visits_count) == ("complaint", 3)
    assert (filed.lat, filed.long) == (31.2304, 121.4737)

    token = client.get(f"/open311/v2/tokens/{filed.token}.{fmt}")
    assert token.status_code == 200
    ids, _, _ = both_formats(client, f"tokens/{filed.token}")
    assert ids == [{"service_request_id": case.tracking_no, "token": filed.token}]

    request = georeport[fmt].get_service_request(case.tracking_no)
    assert request["service_request_id"] == case.tracking_no
    assert request["status"] == "open"
    assert request["agency_responsible"] == "区行政服务中心"


def test_a_latin_name_keeps_its_order(org: Org, system: System, client: Client) -> None:
    form = filing(system, first_name="John", last_name="Smith")
    assert file_request(client, form).status_code == 200
    assert Case.objects.get().petitioner_name == "John Smith"


def test_an_address_is_a_location(org: Org, system: System, client: Client) -> None:
    form = filing(system, lat="", long="", address_string="普陀区大渡河路1668号")
    assert file_request(client, form).status_code == 200
    assert Open311Request.objects.get().address == "普陀区大渡河路1668号"


@pytest.mark.parametrize(
    ("changes", "status", "description"),
    [
        ({"api_key": ""}, 403, "Missing or invalid api_key."),
        ({"api_key": "bcs_not-a-real-token"}, 403, "Missing or invalid api_key."),
        ({"service_code": ""}, 400, "service_code was not provided."),
        ({"service_code": "NOPE"}, 404, "service_code “NOPE” was not found."),
        (
            {"lat": "", "long": ""},
            400,
            "A location is required: lat and long, address_string or address_id.",
        ),
        ({"long": ""}, 400, "lat and long must be sent together."),
        ({"lat": "91"}, 400, "lat must be a number from -90 to 90 (WGS84)."),
        ({"lat": "nan"}, 400, "lat must be a number from -90 to 90 (WGS84)."),
        (
            {"description": "长" * 4001},
            400,
            "description is too long (at most 4000 characters).",
        ),
        ({"email": "not-an-address"}, 400, "email: enter a valid e-mail address."),
        (
            {"media_url": "javascript:alert(1)"},
            400,
            "media_url: enter a valid http or https address.",
        ),
        (
            {"attribute[category]": "gossip"},
            400,
            "attribute[category] must be one of: consultation, handling, complaint, suggestion.",
        ),
        (
            {"attribute[visits_count]": "many"},
            400,
            "attribute[visits_count]: A whole number from 1 to 99.",
        ),
        (
            {"attribute[colour]": "red"},
            400,
            "attribute[colour] is not an attribute of this service.",
        ),
        ({"attribute[category][]": "complaint"}, 400, "attribute[category] takes one value."),
        ({"phone": "12345"}, 400, "phone: Enter an 11-digit mobile number"),
        ({"first_name": "", "last_name": ""}, 400, "last_name: The name is required."),
        (
            {"attribute[petitioner_type]": "enterprise"},
            400,
            "attribute[enterprise_name]: The enterprise name is required for an enterprise.",
        ),
    ],
)
def test_a_bad_filing_gets_the_specs_error(
    org: Org,
    system: System,
    client: Client,
    changes: dict[str, str],
    status: int,
    description: str,
) -> None:
    for fmt in ("json", "xml"):
        response = file_request(client, filing(system, **changes), fmt)
        assert response.status_code == status, response.content
        if fmt == "xml":
            text = response.content.decode()
            assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n<errors><error>')
            continue
        problems = errors_of(response)
        assert any(p["description"].startswith(description) for p in problems), problems
        assert all(set(p) == {"code", "description"} for p in problems)
    assert not Case.objects.exists()


def test_an_api_key_whose_account_may_not_register_is_forbidden(
    org: Org, system: System, client: Client
) -> None:
    form = filing(system, api_key=token_for(org.handler_b))
    response = file_request(client, form)
    assert response.status_code == 403
    [problem] = errors_of(response)
    assert problem["description"].startswith("This api_key's account may not file requests")


def test_a_body_too_large_is_refused_before_it_is_read(
    org: Org, system: System, client: Client
) -> None:
    form = filing(system, description="长" * 10_000)
    response = file_request(client, form)
    assert response.status_code == 400
    assert errors_of(response) == [
        {"code": 413, "description": "The request is too large (at most 64 KB)."}
    ]


# --- requests: lists, filters, status ----------------------------------------------------------


@pytest.fixture
def three_cases(org: Org, cases: CaseBuilder, frozen_time: FrozenTime) -> list[Case]:
    frozen_time.set(sh(2026, 11, 18, 9))
    registered = cases.register(matter_id=org.matter_a.pk)
    frozen_time.set(sh(2026, 11, 19, 9))
    replied = cases.replied()
    frozen_time.set(sh(2026, 11, 20, 9))
    dispatched = cases.dispatched()
    frozen_time.set(sh(2026, 11, 20, 10))
    return [CaseBuilder.fresh(c) for c in (registered, replied, dispatched)]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_reads_requests_with_the_specs_filters(
    three_cases: list[Case], georeport: dict[str, GeoReport], fmt: str
) -> None:
    registered, replied, dispatched = three_cases
    client = georeport[fmt]

    def ids(**params: str) -> list[str]:
        found = client.get_service_requests(**params)
        found = [found] if isinstance(found, dict) else found
        return [request["service_request_id"] for request in found]

    newest_first = [dispatched.tracking_no, replied.tracking_no, registered.tracking_no]
    assert ids() == newest_first
    assert ids(status="closed") == [replied.tracking_no]
    assert ids(status="open") == [dispatched.tracking_no, registered.tracking_no]
    assert ids(status="open,closed") == newest_first
    assert ids(service_code="M-A") == newest_first
    assert ids(start_date="2026-11-19T00:00:00+08:00") == [
        dispatched.tracking_no,
        replied.tracking_no,
    ]
    assert ids(end_date="2026-11-19T00:00:00Z") == [registered.tracking_no]
    assert ids(start_date="2026-11-18T00:00:00+08:00", end_date="2026-11-19T12:00:00+08:00") == [
        replied.tracking_no,
        registered.tracking_no,
    ]
    # service_request_id overrides every other argument.
    assert ids(
        service_request_id=f"{registered.tracking_no},{replied.tracking_no}", status="open"
    ) == [
        replied.tracking_no,
        registered.tracking_no,
    ]

    one = client.get_service_request(dispatched.tracking_no)
    assert one["status"] == "open"
    assert one["status_notes"] == "dispatched"
    assert one["agency_responsible"] == "区市场监管局"
    assert one["service_code"] == "M-A"
    assert one["requested_datetime"] == "2026-11-20T09:00:00+08:00"
    # Accepted on Friday 20 November under putuo's general limit: 3 working days.
    assert one["expected_datetime"] == "2026-11-25T23:59:59+08:00"


def test_a_replied_case_is_closed_since_its_reply(three_cases: list[Case], client: Client) -> None:
    replied = three_cases[1]
    [request], _, _ = both_formats(client, f"requests/{replied.tracking_no}")
    assert (request["status"], request["status_notes"]) == ("closed", "replied")
    assert request["updated_datetime"] == "2026-11-19T09:00:00+08:00"


def test_supervision_reopens_a_request(org: Org, cases: CaseBuilder, client: Client) -> None:
    case = cases.closed()
    check_supervise_case(org.dispatcher, case.pk, reason="申请人反映问题未解决", days=5)
    [request], _, _ = both_formats(client, f"requests/{case.tracking_no}")
    assert (request["status"], request["status_notes"]) == ("open", "in progress")


def test_the_list_is_capped_at_1000_and_90_days(
    org: Org, cases: CaseBuilder, frozen_time: FrozenTime, client: Client
) -> None:
    frozen_time.set(sh(2026, 8, 1))
    old = cases.register()
    frozen_time.set(sh(2026, 11, 20, 10))
    listed, _, _ = both_formats(client, "requests")
    assert old.tracking_no not in {r["service_request_id"] for r in listed}
    by_id, _, _ = both_formats(client, "requests", service_request_id=old.tracking_no)
    assert [r["service_request_id"] for r in by_id] == [old.tracking_no]


@pytest.mark.parametrize(
    ("params", "description"),
    [
        (
            {"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-11-01T00:00:00+08:00"},
            "start_date and end_date may not span more than 90 days.",
        ),
        (
            {"start_date": "2026-11-02T00:00:00Z", "end_date": "2026-11-01T00:00:00Z"},
            "end_date is before start_date.",
        ),
        (
            {"start_date": "2026-11-01"},
            "start_date must be a W3C date and time with its time zone",
        ),
        ({"end_date": "yesterday"}, "end_date must be a W3C date and time with its time zone"),
        ({"status": "pending"}, "status may be open or closed, not “pending”."),
        ({"service_code": ",".join(str(n) for n in range(101))}, "At most 100 values"),
    ],
)
def test_bad_filters_are_a_400(
    org: Org, client: Client, params: dict[str, str], description: str
) -> None:
    as_json, as_xml, status = both_formats(client, "requests", **params)
    assert status == 400
    assert as_json[0]["description"].startswith(description)
    assert as_xml == [{"code": "400", "description": as_json[0]["description"]}]


def test_empty_optional_arguments_are_as_if_absent(three_cases: list[Case], client: Client) -> None:
    plain, _, _ = both_formats(client, "requests")
    empty, _, _ = both_formats(
        client, "requests", status="", service_code="", start_date="", jurisdiction_id=""
    )
    assert plain == empty


def test_unknown_requests_and_tokens_are_not_found(org: Org, client: Client) -> None:
    for path, description in (
        ("requests/PT-2026-999999", "service_request_id “PT-2026-999999” was not found."),
        ("requests/" + "9" * 300, "service_request_id “" + "9" * 40 + "” was not found."),
        ("tokens/not-a-token", "The token was not found."),
    ):
        as_json, as_xml, status = both_formats(client, path)
        assert status == 404
        assert as_json == [{"code": 404, "description": description}]
        assert as_xml == [{"code": "404", "description": description}]


def test_a_foreign_jurisdiction_is_not_found(org: Org, client: Client, settings: Any) -> None:
    settings.BANCHENGSHI_OPEN311_JURISDICTION = "putuo.gov.cn"
    assert both_formats(client, "services", jurisdiction_id="putuo.gov.cn")[2] == 200
    as_json, _, status = both_formats(client, "services", jurisdiction_id="sfgov.org")
    assert status == 404
    assert as_json[0]["description"] == (
        "jurisdiction_id “sfgov.org” was not found; this endpoint serves “putuo.gov.cn”."
    )


def test_anything_else_under_the_endpoint_is_answered_in_the_specs_format(
    org: Org, client: Client
) -> None:
    missing = client.get("/open311/v2/discovery.json")
    assert missing.status_code == 404
    assert errors_of(missing) == [
        {"code": 404, "description": "There is no such Open311 resource."}
    ]
    assert client.get("/open311/v2/services.yaml").content.startswith(b"<?xml")
    # A line break in the path (%0A) is no way around it: refused at the edge, in the format.
    broken = client.get("/open311/v2/a%0Ab.json", HTTP_ACCEPT_LANGUAGE="en")
    assert broken.status_code == 400
    assert errors_of(broken) == [{"code": 400, "description": CONTROL_REFUSED}]
    put = client.put("/open311/v2/requests.json")
    assert put.status_code == 400
    assert errors_of(put) == [{"code": 405, "description": "PUT is not supported here."}]
    assert client.post("/open311/v2/services.json").status_code == 400


# --- one content, two formats -------------------------------------------------------------------


def test_xml_and_json_carry_the_same_content(
    three_cases: list[Case], system: System, client: Client
) -> None:
    file_request(client, filing(system))
    filed = Open311Request.objects.get()
    paths = [
        ("services", {}),
        ("services/M-A", {}),
        ("requests", {}),
        ("requests", {"status": "closed"}),
        ("requests", {"service_request_id": ",".join(c.tracking_no for c in three_cases)}),
        (f"requests/{filed.case.tracking_no}", {}),
        (f"requests/{three_cases[2].tracking_no}", {}),
        (f"tokens/{filed.token}", {}),
        ("services/NOPE", {}),
        ("requests", {"status": "pending"}),
    ]
    for path, params in paths:
        as_json, as_xml, _ = both_formats(client, path, **params)
        assert as_xml == as_text(as_json), path


# --- privacy (R-Q-3) ----------------------------------------------------------------------------


def test_requests_show_no_petitioner_data_and_no_staff_names(
    org: Org, cases: CaseBuilder, system: System, client: Client
) -> None:
    User.objects.filter(pk=org.handler_a.pk).update(last_name="周", first_name="建国")
    User.objects.filter(pk=org.clerk.pk).update(last_name="钱", first_name="多多")
    window = cases.replied(
        petitioner_name="欧阳娜娜",
        id_number=ID_NUMBER,
        description="窗口工作人员钱多多说材料不全，欧阳娜娜三次往返，电话13812345678",
    )
    file_request(
        client,
        filing(
            system,
            first_name="娜娜",
            last_name="欧阳",
            description="我是欧阳娜娜，身份证310107199003072012，手机138-1234-5678，邮箱nana@example.com，窗口说材料不全",
            email="nana@example.com",
            address_string="普陀区大渡河路1668号",
        ),
    )
    filed = Open311Request.objects.get()
    for fmt in ("json", "xml"):
        text = client.get(f"/open311/v2/requests.{fmt}").content.decode()
        for secret in (
            "欧阳娜娜",
            "娜娜",
            PHONE,
            "1234-5678",
            ID_NUMBER,
            "nana@example.com",
            "周建国",
            "钱多多",
            "handlerA",
            "clerk",
            "材料不全，欧阳",
        ):
            assert secret not in text, (fmt, secret)
        assert "区市场监管局" in text  # the unit, not the person
    listed, _, _ = both_formats(client, "requests")
    by_id = {request["service_request_id"]: request for request in listed}
    assert by_id[window.tracking_no]["description"] is None
    assert by_id[window.tracking_no]["address"] is None
    assert by_id[filed.case.tracking_no]["description"] == (
        "我是***，身份证***，手机***，邮箱***，窗口说材料不全"
    )
    assert by_id[filed.case.tracking_no]["address"] == "普陀区大渡河路1668号"


def test_requests_blank_numbers_however_written_also_in_the_address(
    org: Org, system: System, client: Client
) -> None:
    """Issue 15 item 6: separators, full-width digits, a lower-case x, a contact in the
    address_string."""
    file_request(
        client,
        filing(
            system,
            description=(
                "电话138.1234.5678，又138/1234/5678，又１３８１２３４５６７８，"
                "身份证31010719900307201x，2026-12-03来过"
            ),
            address_string="普陀区大渡河路1668号联系人张伟 13912345678",
        ),
    )
    filed = Open311Request.objects.get()
    listed, _, _ = both_formats(client, "requests")
    (request,) = [r for r in listed if r["service_request_id"] == filed.case.tracking_no]
    assert request["description"] == "电话***，又***，又***，身份证***，2026-12-03来过"
    assert request["address"] == "普陀区大渡河路1668号联系人*** ***"
    for fmt in ("json", "xml"):
        text = client.get(f"/open311/v2/requests.{fmt}").content.decode()
        for secret in ("张伟", "13912345678", "5678", "201x"):
            assert secret not in text, (fmt, secret)

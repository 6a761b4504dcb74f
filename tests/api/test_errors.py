"""Errors are JSON with a stable code, a message in the caller's language and the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation

from banchengshi.cases.models import Case
from banchengshi.identifiers import MESSAGES
from tests.api.conftest import Api, District, registration

AsUser = Callable[..., Api]


def test_invalid_input_names_the_field_in_the_callers_language(
    district: District, as_user: AsUser
) -> None:
    response = as_user("clerk", "en").post("/cases", registration(district, phone="12345"))
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["field"] == "phone"
    english = "Enter an 11-digit mobile number, or a landline number with its area code"
    assert body["message"].startswith(english)
    assert body["errors"] == {"phone": [body["message"]]}

    body = as_user("clerk", "zh-hans").post("/cases", registration(district, phone="12345")).json()
    assert (body["code"], body["field"]) == ("invalid", "phone")
    with translation.override("zh-hans"):
        assert body["message"] == str(MESSAGES["phone_format"])
    assert Case.objects.count() == 0


def test_every_invalid_field_is_listed(district: District, as_user: AsUser) -> None:
    body = registration(district, phone="12345", id_number="110105194912310021", description="短")
    errors = as_user("clerk").post("/cases", body).json()["errors"]
    assert set(errors) == {"phone", "id_number", "description"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "carrier pigeon"}, "channel"),
        ({"petitioner_name": "名" * 101}, "petitioner_name"),
        ({"visits_count": 1000}, "visits_count"),
        ({"matter_id": 2**64}, "matter_id"),
        ({"received_at": "2026-11-20T09:30:00"}, "received_at"),
        ({"received_at": "0001-01-01T00:00:00+08:00"}, "received_at"),
        ({"description": "有空字符\x00在这里"}, "description"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_malformed_input_is_a_422(
    district: District, as_user: AsUser, change: dict[str, object], field: str
) -> None:
    response = as_user("clerk").post("/cases", registration(district, **change))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid"
    assert response.json()["field"] == field


def test_a_body_that_is_not_json_is_a_400(district: District, as_user: AsUser) -> None:
    api = as_user("clerk")
    response = api.client.post(
        "/api/v1/cases", "{not json", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "bad_request",
        "message": "The request body is not valid JSON.",
        "field": None,
    }


def test_a_query_parameter_out_of_range_is_a_422(district: District, as_user: AsUser) -> None:
    body = as_user("clerk").get("/worklist", per_page=1000).json()
    assert (body["code"], body["field"]) == ("invalid", "per_page")
    body = as_user("clerk").get("/cases/99999999999999999999").json()
    assert (body["code"], body["field"]) == ("invalid", "case_id")


def test_forbidden(district: District, as_user: AsUser) -> None:
    cid = as_user("clerk").ok("/cases", registration(district), status=201)["id"]
    # The inspector sees every case but may change none (R-ORG-2).
    response = as_user("inspector").post(f"/cases/{cid}/screen", {"admissible": True})
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert response.json()["message"] == "Your roles do not allow you to screen this case."
    response = as_user("clerk").post(f"/cases/{cid}/dispatch", {"unit_id": district.dept.pk})
    assert response.status_code == 403


def test_a_case_out_of_scope_is_not_found(district: District, as_user: AsUser) -> None:
    cid = as_user("clerk").ok("/cases", registration(district), status=201)["id"]
    for path in (f"/cases/{cid}", f"/cases/{cid + 1000}"):
        response = as_user("other_handler").get(path)
        assert response.status_code == 404
        assert response.json() == {
            "code": "not_found",
            "message": "No case with this number is within your reach.",
            "field": None,
        }
    response = as_user("other_handler").post(f"/cases/{cid}/receive")
    assert response.status_code == 404


def test_invalid_state_and_version_conflict(district: District, as_user: AsUser) -> None:
    clerk = as_user("clerk")
    case = clerk.ok("/cases", registration(district), status=201)
    cid = case["id"]
    stale = case["version"]
    clerk.ok(f"/cases/{cid}/screen", {"admissible": True, "version": stale})

    response = clerk.post(f"/cases/{cid}/screen", {"admissible": True})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_state"

    handler = as_user("handler")
    response = handler.post(f"/cases/{cid}/receive", {"version": stale})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["message"].startswith("Someone else changed this case meanwhile")
    assert handler.get(f"/cases/{cid}").json()["state"] == "dispatched"


def test_unauthenticated(district: District) -> None:
    client = Client()
    for response in (
        client.get("/api/v1/worklist"),
        client.post("/api/v1/cases", {}, content_type="application/json"),
        client.get("/api/v1/worklist", headers={"Authorization": "Bearer bcs_not-a-token"}),
        client.get("/api/v1/worklist", headers={"Authorization": "Bearer "}),
        client.get("/api/v1/worklist", headers={"Authorization": "Basic dXNlcjpwYXNz"}),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "unauthenticated"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_unexpected_error_is_logged_and_hidden(
    district: District,
    as_user: AsUser,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("banchengshi.api.routers.cases.worklist", explode)
    response = as_user("clerk").get("/worklist")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert "secret internals" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert "secret internals" in caplog.text

"""Creating a case is idempotent with an Idempotency-Key (R-Q-4) and for external records."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from banchengshi.api import idempotency
from banchengshi.api.models import IdempotencyKey
from banchengshi.cases.models import Case
from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role
from banchengshi.tokens.actions import do_create_token
from tests.api.conftest import Api, District, registration

AsUser = Callable[..., Api]


def test_the_same_key_and_body_give_the_same_case(district: District, as_user: AsUser) -> None:
    clerk = as_user("clerk")
    headers = {"Idempotency-Key": "intake-2026-0001"}
    first = clerk.post("/cases", registration(district), headers=headers)
    assert first.status_code == 201
    again = clerk.post("/cases", registration(district), headers=headers)
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.json()["tracking_no"] == first.json()["tracking_no"]
    assert Case.objects.count() == 1
    assert IdempotencyKey.objects.get().case_id == first.json()["id"]


def test_the_body_is_compared_canonically(district: District, as_user: AsUser) -> None:
    """Key order and fields sent with their default value do not make another request."""
    clerk = as_user("clerk")
    headers = {"Idempotency-Key": "k-1"}
    body = registration(district)
    first = clerk.post("/cases", body, headers=headers).json()
    reordered = dict(reversed(list({**body, "visits_count": 1, "window": ""}.items())))
    again = clerk.post("/cases", reordered, headers=headers)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]


def test_the_same_key_with_another_body_is_refused(district: District, as_user: AsUser) -> None:
    clerk = as_user("clerk")
    headers = {"Idempotency-Key": "intake-2026-0002"}
    assert clerk.post("/cases", registration(district), headers=headers).status_code == 201
    response = clerk.post("/cases", registration(district, petitioner_name="李四"), headers=headers)
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert response.json()["field"] == "Idempotency-Key"
    assert Case.objects.count() == 1


def test_keys_belong_to_one_person(district: District, as_user: AsUser) -> None:
    headers = {"Idempotency-Key": "shared"}
    a = as_user("clerk").post("/cases", registration(district), headers=headers)
    b = as_user("dispatcher").post("/cases", registration(district), headers=headers)
    assert (a.status_code, b.status_code) == (201, 201)
    assert a.json()["id"] != b.json()["id"]


def test_without_a_key_every_request_creates_a_case(district: District, as_user: AsUser) -> None:
    clerk = as_user("clerk")
    for _ in range(2):
        assert clerk.post("/cases", registration(district)).status_code == 201
    assert Case.objects.count() == 2


def test_a_refused_registration_does_not_use_up_the_key(
    district: District, as_user: AsUser
) -> None:
    clerk = as_user("clerk")
    headers = {"Idempotency-Key": "retry-me"}
    bad = clerk.post("/cases", registration(district, phone="1"), headers=headers)
    assert bad.status_code == 422
    assert clerk.post("/cases", registration(district), headers=headers).status_code == 201


def test_a_concurrent_request_with_the_same_key_returns_the_winners_case(
    district: District, as_user: AsUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The loser of a race does not see the key at first, collides on the unique constraint,
    rolls its case back and answers with the winner's."""
    clerk = as_user("clerk")
    headers = {"Idempotency-Key": "race"}
    winner = clerk.post("/cases", registration(district), headers=headers).json()

    real = idempotency._stored_case_id
    calls: list[int] = []

    def not_yet_committed(*args: object) -> int | None:
        calls.append(1)
        return None if len(calls) == 1 else real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(idempotency, "_stored_case_id", not_yet_committed)
    loser = clerk.post("/cases", registration(district), headers=headers)
    assert loser.status_code == 200
    assert loser.json()["id"] == winner["id"]
    assert len(calls) == 2
    assert Case.objects.count() == 1


def intake_account(district: District) -> Api:
    """The 12345 source's own intake account ("intake"), a dispatcher at the hub."""
    user = User.objects.create_user("intake")
    do_grant_role(user, district.hub, Role.DISPATCHER)
    return Api(Client(), do_create_token(user, "12345 bridge")[1])


def test_an_external_record_is_registered_once(district: District, as_user: AsUser) -> None:
    """R-IN-3: re-sending the same external record never creates a second case."""
    system = intake_account(district)
    body = registration(
        district, channel="hotline_12345", external_source="12345", external_id="GD-778"
    )
    first = system.post("/cases", body)
    assert first.status_code == 201
    assert first.json()["registered_unit"]["id"] == district.hub.pk
    again = system.post("/cases", {**body, "description": "再次推送的同一工单，描述略有不同"})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1


@pytest.mark.parametrize("who", ["clerk", "dispatcher"])
def test_only_the_sources_own_account_registers_under_its_ids(
    district: District, as_user: AsUser, who: str
) -> None:
    """Issue 15 item 5: a token holder cannot take the id of a hotline record to come."""
    body = registration(
        district, channel="hotline_12345", external_source="12345", external_id="GD-779"
    )
    refused = as_user(who).post("/cases", body)
    assert refused.status_code == 400
    assert refused.json() == {
        "code": "external_source_not_allowed",
        "message": "Only the intake account of the external source “12345” may register "
        "records under its ids.",
        "field": "external_source",
    }
    unknown = as_user(who).post("/cases", {**body, "external_source": "carrier_pigeon"})
    assert unknown.json()["code"] == "external_source_not_allowed"
    assert not Case.objects.exists()
    # The real record, when it comes from the hotline's own account, is registered.
    assert intake_account(district).post("/cases", body).status_code == 201


def test_an_id_registered_by_another_account_is_refused_not_merged(
    district: District, as_user: AsUser
) -> None:
    """A case left under a source's id by another account (before ids belonged to their
    source) is never the answer to the source's record."""
    body = registration(
        district, channel="hotline_12345", external_source="12345", external_id="GD-780"
    )
    system = intake_account(district)
    assert system.post("/cases", body).status_code == 201
    Case.objects.update(registered_by=district.users["dispatcher"])
    clash = system.post("/cases", body)
    assert clash.status_code == 409
    assert clash.json()["code"] == "duplicate"
    assert Case.objects.count() == 1

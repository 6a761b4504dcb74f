"""Creating a case is a fixed handful of statements, whatever the size of the database."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import Api, District, registration

AsUser = Callable[..., Api]

# Measured (SQLite and PostgreSQL alike): the token 1, the scope 1, the units and the matter the
# form names 2, the registration 14 (savepoint, case, unit link, work item, the proposal kept
# with the case in hand (knowledge: the catalogue's stamp, the record), tracking number
# (UPDATE … RETURNING) and the case's number, search row, audit head lock + event + head
# update, the enabled webhook endpoints (webhooks: none here), release) and the answer none: it
# is built from the rows the registration read and wrote. The policy version's row is read
# once per process.
CREATE_QUERIES = 18
# + the key lookup, the savepoint around case and key, the key row, its release.
CREATE_WITH_KEY_QUERIES = CREATE_QUERIES + 4


def test_creating_a_case_takes_a_fixed_number_of_queries(
    district: District, as_user: AsUser, django_assert_num_queries: Any
) -> None:
    clerk = as_user("clerk")
    # Warm the per-process caches (calendar, token last-used stamp, and the policy version's
    # row: made by the first registration, remembered once read by the second, since a test's
    # transaction never commits).
    for _ in range(2):
        clerk.ok("/cases", registration(district), status=201)
    with django_assert_num_queries(CREATE_QUERIES):
        clerk.ok("/cases", registration(district), status=201)
    with django_assert_num_queries(CREATE_WITH_KEY_QUERIES):
        response = clerk.post("/cases", registration(district), headers={"Idempotency-Key": "q"})
    assert response.status_code == 201


def test_replaying_a_key_costs_a_read_of_the_case_and_the_key(
    district: District, as_user: AsUser, django_assert_num_queries: Any
) -> None:
    clerk = as_user("clerk")
    headers = {"Idempotency-Key": "replay"}
    created = clerk.post("/cases", registration(district), headers=headers)
    assert created.status_code == 201
    with CaptureQueriesContext(connection) as reading:
        assert clerk.get(f"/cases/{created.json()['id']}").status_code == 200
    # The same reads as GET /cases/{id}, and the key's row.
    with django_assert_num_queries(len(reading.captured_queries) + 1):
        assert clerk.post("/cases", registration(district), headers=headers).status_code == 200


def test_lists_do_not_query_per_row(
    district: District, as_user: AsUser, django_assert_num_queries: Any
) -> None:
    clerk, inspector = as_user("clerk"), as_user("inspector")
    for _ in range(5):
        clerk.ok("/cases", registration(district), status=201)
    inspector.get("/worklist")  # token last-used stamp
    # token, scope, four bounded counts (red, yellow, green, none), the page
    with django_assert_num_queries(7):
        assert len(clerk.get("/worklist").json()["items"]) == 5
    # token, scope, the page, the bounded count
    with django_assert_num_queries(4):
        assert len(inspector.get("/cases").json()["items"]) == 5

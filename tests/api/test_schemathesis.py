"""Property-based requests generated from the OpenAPI document: none may be a server error
(R-Q-5). Every operation gets a bounded number of examples, sent through the WSGI application
in-process, so they run inside the test's transaction on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from banchengshi.cases.actions.answer import check_reply_case
from banchengshi.cases.actions.clock_requests import check_request_extension
from banchengshi.cases.actions.cohandling import check_request_cohandling
from banchengshi.cases.actions.dispatch import check_screen_case, do_receive_case
from banchengshi.cases.actions.handling import check_record_cause
from banchengshi.cases.actions.registration import check_register_case
from banchengshi.cases.registration import Registration
from banchengshi.wsgi import application
from tests.api.conftest import MOBILE, District


def _cases_in_every_state(district: District) -> None:
    """Small ids in several states, so that generated paths such as /cases/1/receive reach
    the actions and not only 'not found'."""
    clerk, handler = district.users["clerk"], district.users["handler"]
    dispatcher = district.users["dispatcher"]

    def register() -> int:
        form = Registration(
            channel="window",
            petitioner_type="person",
            petitioner_name="王五",
            phone=MOBILE,
            description="办理食品经营许可时被告知材料不全",
            matter_id=district.matter.pk,
        )
        return check_register_case(clerk, form).pk

    register()  # registered
    dispatched = register()
    check_screen_case(clerk, dispatched, admissible=True)
    in_progress = register()
    check_screen_case(clerk, in_progress, admissible=True)
    do_receive_case(handler, in_progress)
    replied = register()
    check_screen_case(clerk, replied, admissible=True)
    do_receive_case(handler, replied)
    check_record_cause(handler, replied, code="materials", note="申请材料不齐全")
    check_reply_case(handler, replied, text="已指导补齐材料并办结")
    extension = register()
    check_screen_case(clerk, extension, admissible=True)
    do_receive_case(handler, extension)
    check_request_extension(handler, extension, days=2, reason="需要调取档案核实")
    check_request_cohandling(
        handler, extension, unit_id=district.other_dept.pk, request="请协助核实参保记录", days=2
    )
    assert dispatcher.pk


# Loaded once, at collection: the document needs no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _cases(district: District) -> None:
    _cases_in_every_state(district)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes "old" database connections when a request starts and ends;
    on PostgreSQL that would close the connection holding the test's transaction. Django's
    test client unhooks the same signal handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_is_a_server_error(case: Any, district: District) -> None:
    token = district.tokens["dispatcher"]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
    )

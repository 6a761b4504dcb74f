"""External intake under concurrency on PostgreSQL (R-IN-3, R-Q-4): the same record sent from
several threads at once is one case, and every sender gets that case; rate-limit counters
lose no request when workers count at once."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import User
from django.test import Client

from banchengshi.audit.models import AuditEvent
from banchengshi.cases.models import Case
from banchengshi.intake import ratelimit
from banchengshi.intake.actions import check_intake_record
from banchengshi.intake.models import RateCounter
from banchengshi.intake.sources import find_source
from banchengshi.notify.models import OutboxMessage
from banchengshi.org.actions import do_grant_role
from banchengshi.org.models import Role
from banchengshi.tokens.actions import do_create_token
from tests.cases.conftest import PHONE, Org
from tests.pg.test_concurrency import THREADS, assert_chain_gap_free, in_threads

RECORD = {
    "工单编号": "GD-RACE-1",
    "来电时间": "2026-11-20 09:30:00",
    "来电人": "李四",
    "联系电话": PHONE,
    "事项编码": "M-A",
    "诉求内容": "营业执照变更登记三次被退回材料，至今未能办成",
}


def system_account(org: Org) -> User:
    user = User.objects.create_user("intake")
    do_grant_role(user, org.hub, Role.DISPATCHER)
    return user


@pytest.mark.django_db(transaction=True)
def test_one_record_sent_at_once_by_many_is_one_case(org: Org) -> None:
    system = system_account(org)
    source = find_source("12345")
    assert source is not None

    def send(i: int) -> tuple[int, bool]:
        actor = User.objects.get(pk=system.pk)  # each thread its own scope cache
        result = check_intake_record(actor, source, RECORD)
        return result.case.pk, result.created

    results = in_threads(THREADS, send)
    assert [status for status, _ in results] == ["ok"] * THREADS, results
    answers = [value for _, value in results]
    assert len({case_id for case_id, _ in answers}) == 1
    assert sorted(created for _, created in answers) == [False] * (THREADS - 1) + [True]
    assert Case.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
    assert AuditEvent.objects.filter(action="register").count() == 1
    assert assert_chain_gap_free() == 1


@pytest.mark.django_db(transaction=True)
def test_one_record_posted_at_once_by_many_gets_one_answer(org: Org) -> None:
    token = do_create_token(system_account(org), "12345 bridge")[1]
    body = json.dumps(RECORD, ensure_ascii=False)

    def post(i: int) -> tuple[int, str]:
        response = Client().post(
            "/api/v1/intake/12345",
            data=body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        return response.status_code, response.content.decode()

    results = in_threads(THREADS, post)
    assert [status for status, _ in results] == ["ok"] * THREADS, results
    statuses = sorted(code for _, (code, _) in results)
    assert statuses == [200] * (THREADS - 1) + [201]
    assert len({content for _, (_, content) in results}) == 1
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_rate_counters_lose_no_request(org: Org) -> None:
    limit = ratelimit.Limit("open311_read", 1000, 3600)

    def hits(i: int) -> int:
        return sum(ratelimit.hit(limit, "192.0.2.1").allowed for _ in range(10))

    results = in_threads(THREADS, hits)
    assert [status for status, _ in results] == ["ok"] * THREADS, results
    assert RateCounter.objects.get().count == THREADS * 10

"""POST /api/v1/evaluations and GET /api/v1/evaluations/counts, token-authenticated."""

from __future__ import annotations

import pytest
from django.test import Client

from banchengshi.evaluation.models import BadReview, Evaluation
from banchengshi.tokens.actions import do_create_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(org):
    _, secret = do_create_token(org.windowhead, "tablet-system")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="en")


def post(api, **body):
    return api.post("/api/v1/evaluations", body, content_type="application/json")


def test_it_records_a_rating(org, api):
    response = post(api, unit_id=org.hall.pk, level=2, subject_kind="window", comment="排队太久")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["level"], body["channel"], body["bad_review"]) == (2, "online", True)
    assert BadReview.objects.filter(evaluation_id=body["id"]).exists()


def test_it_refuses_a_nul_byte(org, api):
    response = post(api, unit_id=org.hall.pk, level=4, subject_kind="window", comment="a\x00b")
    assert response.status_code == 422
    assert not Evaluation.objects.exists()


def test_it_refuses_another_units_rating(org, api):
    response = post(api, unit_id=org.dept_b.pk, level=4, subject_kind="window")
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Only the staff of the unit rated, or the office, record its ratings."
    )


def test_it_refuses_a_huge_unit_id(org, api):
    response = post(api, unit_id=10**30, level=4, subject_kind="window")
    assert response.status_code == 422


def test_it_counts(org, api):
    post(api, unit_id=org.hall.pk, level=5, subject_kind="window")
    post(api, unit_id=org.hall.pk, level=1, subject_kind="window")
    response = api.get("/api/v1/evaluations/counts?start=2026-11-01&end=2026-11-30&by=unit")
    assert response.status_code == 200, response.content
    assert response.json() == [
        {
            "key": {"unit_id": org.hall.pk, "unit__name": "区政务服务中心大厅"},
            "levels": {"5": 1, "4": 0, "3": 0, "2": 0, "1": 1},
            "total": 2,
            "satisfaction_rate": 0.5,
        }
    ]

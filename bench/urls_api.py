"""Bench-only URLs (never in the product): the product's URLs plus two baselines that go
through the same middleware stack, so that the API's cost can be read as a ratio.

/bench/noop    GET: {"ok": true}, no database
/bench/insert  POST: one INSERT into bench_insert (a table the bench creates) in one
               transaction, the least any request that stores something can do
/bench/insert/N  POST: N such INSERTs in one transaction, what N statements cost in themselves
"""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from banchengshi.urls import urlpatterns as product_urlpatterns

TABLE = "bench_insert"
CREATE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} "
    "(id bigserial PRIMARY KEY, payload text NOT NULL, "
    "created_at timestamptz NOT NULL DEFAULT now())"
)


def noop(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


@csrf_exempt
def insert(request: HttpRequest, count: int = 1) -> JsonResponse:
    payload = request.body.decode("utf-8", "replace")[:500]
    with transaction.atomic(), connection.cursor() as cursor:
        for _ in range(count):
            cursor.execute(f"INSERT INTO {TABLE} (payload) VALUES (%s)", [payload])
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/noop", noop),
    path("bench/insert", insert),
    path("bench/insert/<int:count>", insert),
    *product_urlpatterns,
]

"""Bench-only URLs (never in the product): the product's URLs plus two baselines that go
through the same middleware stack, so that the API's cost can be read as a ratio.

/bench/noop    GET: {"ok": true}, no database
/bench/insert  POST: one INSERT into bench_insert (a table the bench creates) in one
               transaction, the least any request that stores something can do
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
def insert(request: HttpRequest) -> JsonResponse:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (payload) VALUES (%s)",
            [request.body.decode("utf-8", "replace")[:500]],
        )
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/noop", noop),
    path("bench/insert", insert),
    *product_urlpatterns,
]

"""The API object: /api/v1/, its authentication, error handlers and routers."""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja import NinjaAPI

from banchengshi.api import docs, errors
from banchengshi.api.auth import SessionAuth, TokenAuth
from banchengshi.api.routers import (
    cases,
    catalog,
    evaluations,
    hotspots,
    intake,
    knowledge,
    notifications,
    points,
    proposals,
    rectification,
    reports,
    sessions,
)

api = NinjaAPI(
    title="Banchengshi API",
    version="1",
    description=(
        "Cases of the 办不成事 reflection window: registration, dispatch, handling, reply, "
        "return visit, supervision. Authenticate with `Authorization: Bearer <token>` "
        "(tokens: `banchengshi token create USERNAME NAME`) or with the web session "
        "(unsafe methods then need the X-CSRFToken header). Errors are JSON: "
        '{"code", "message", "field"}.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api_v1",
    docs=docs.BundledSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", catalog.router)
api.add_router("", cases.router)
api.add_router("", intake.router)
api.add_router("", notifications.router)
api.add_router("", proposals.router)
api.add_router("", rectification.router)
api.add_router("", knowledge.router)
api.add_router("", hotspots.router)
api.add_router("", reports.router)
api.add_router("", points.router)
api.add_router("", sessions.router)
api.add_router("", evaluations.router)


@api.get("/docs/assets/{name}", auth=None, include_in_schema=False, url_name="docs_asset")
def docs_asset(request: HttpRequest, name: str) -> HttpResponseBase:
    return docs.asset(request, name)

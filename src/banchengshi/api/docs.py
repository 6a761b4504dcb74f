"""The interactive docs page, with Swagger UI served from the copy bundled in django-ninja.

ninja renders its bundled page only when "ninja" is in INSTALLED_APPS and falls back to a CDN
otherwise; the API must work offline (DESIGN.md: "no CDN"), so this page and its four assets
are served by the API itself, read from the installed ninja package."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from ninja import NinjaAPI
from ninja.openapi.docs import Swagger, _csrf_needed

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png"})


class BundledSwagger(Swagger):
    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        asset = reverse(f"{api.urls_namespace}:docs_asset", kwargs={"name": "NAME"})
        context = {
            "api": api,
            "swagger_settings": self.settings,
            "add_csrf": _csrf_needed(api),
            "css": asset.replace("NAME", "swagger-ui.css"),
            "bundle": asset.replace("NAME", "swagger-ui-bundle.js"),
            "init": asset.replace("NAME", "swagger-ui-init.js"),
            "favicon": asset.replace("NAME", "favicon.png"),
        }
        return render(request, "api/swagger.html", context)


def asset(request: HttpRequest, name: str) -> HttpResponseBase:
    if name not in ASSETS:
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response

"""Placeholder until the workbench lands."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from banchengshi.web.staff import staff_view


@staff_view
def hub(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return render(request, "web/placeholder.html")

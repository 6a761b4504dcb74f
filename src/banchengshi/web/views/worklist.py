"""The person's worklist (the workbench home). Placeholder until the workbench lands."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from banchengshi.web.staff import staff_view


@staff_view
def worklist(request: HttpRequest) -> HttpResponse:
    return render(request, "web/placeholder.html")

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from banchengshi.policy.rules import policy_in_force


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"policy": policy_in_force()})

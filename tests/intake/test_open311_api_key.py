"""Open311's api_key comes from the body or the X-API-Key header, never from the address."""

from __future__ import annotations

from django.test import Client

from banchengshi.cases.models import Case
from tests.cases.conftest import Org
from tests.intake.conftest import System
from tests.intake.test_open311 import filing

URL = "/open311/v2/requests.json"


def test_a_key_in_the_address_is_refused_in_words(org: Org, system: System) -> None:
    form = filing(system)
    key = form.pop("api_key")
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(f"{URL}?api_key={key}", form)
    assert response.status_code == 403
    assert response.json() == [
        {
            "code": 403,
            "description": "Send the api_key in the request body or the X-API-Key header, never "
            "in the address (it is written to access logs); ask for a new key if this one was "
            "sent before.",
        }
    ]
    # Even with the key in the body as well.
    both = Client().post(f"{URL}?api_key={key}", {**form, "api_key": key})
    assert both.status_code == 403
    assert not Case.objects.exists()


def test_a_key_in_the_header_is_taken(org: Org, system: System) -> None:
    form = filing(system)
    key = form.pop("api_key")
    response = Client().post(URL, form, HTTP_X_API_KEY=key)
    assert response.status_code == 200
    assert response.json()[0]["token"]

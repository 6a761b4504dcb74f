"""The OpenAPI document and the docs page, which works offline (no CDN)."""

from __future__ import annotations

from django.test import Client

LIFECYCLE = [
    ("post", "/api/v1/cases"),
    ("get", "/api/v1/cases"),
    ("get", "/api/v1/cases/{case_id}"),
    ("get", "/api/v1/worklist"),
    ("get", "/api/v1/units"),
    ("get", "/api/v1/matters"),
    ("get", "/api/v1/causes"),
    ("get", "/api/v1/notifications"),
    ("post", "/api/v1/notifications/read"),
    ("post", "/api/v1/notifications/{notification_id}/read"),
    *(
        ("post", f"/api/v1/cases/{{case_id}}/{action}")
        for action in (
            "screen",
            "resolve-on-spot",
            "dispatch",
            "receive",
            "return",
            "dispatch-down",
            "cohandling",
            "cohandling/{task_id}/answer",
            "contacts",
            "cause",
            "extension",
            "suspension",
            "requests/{request_id}/decide",
            "resume",
            "reply",
            "return-visit",
            "supervise",
            "close",
        )
    ),
]


def test_the_openapi_document_lists_the_lifecycle() -> None:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for method, path in LIFECYCLE:
        assert method in schema["paths"].get(path, {}), (method, path)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"
    create = schema["paths"]["/api/v1/cases"]["post"]
    assert {"201", "200", "409", "422"} <= set(create["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in create["parameters"])
    notices = schema["paths"]["/api/v1/notifications"]["get"]
    assert {p["name"] for p in notices["parameters"]} == {"unread", "limit", "offset"}
    item = schema["components"]["schemas"]["NotificationOut"]
    assert list(item["properties"]) == [
        "id",
        "kind",
        "case_id",
        "tracking_no",
        "text",
        "created_at",
        "read",
    ]


def test_the_docs_page_uses_the_bundled_swagger_ui() -> None:
    client = Client()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert asset["Content-Type"] in ("text/javascript", "application/javascript")
    assert client.get("/api/v1/docs/assets/settings.py").status_code == 404

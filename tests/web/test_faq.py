"""The public FAQ /faq/: published public entries only, searched with the matches marked,
an entry's page with its published text, in the elderly-friendly mode too; bad input gets a
page, never a server error."""

from __future__ import annotations

from django.test import Client

from banchengshi.knowledge.actions import EntryFields, check_edit_entry
from tests.knowledge.conftest import published
from tests.web.test_public import Org, public, text


def test_list_search_and_entry(org: Org) -> None:
    shown = published(
        org, "户口迁移需要的证明开不出来", "派出所可直接开具户籍证明", visibility="public"
    )
    published(org, "社保卡补办时系统提示信息不一致", "到人社窗口核对身份信息")
    page = text(public().get("/faq/"))
    assert "户口迁移需要的证明开不出来" in page
    assert "社保卡" not in page
    found = text(public().get("/faq/", {"q": "证明"}))
    assert "户口迁移需要的<mark>证明</mark>开不出来" in found
    assert "开具户籍<mark>证明</mark>" in found
    assert "没有匹配的问题" in text(public().get("/faq/", {"q": "社保"}))
    entry = text(public().get(f"/faq/{shown.pk}/"))
    assert "派出所可直接开具户籍证明" in entry


def test_a_pending_edit_is_not_shown(org: Org) -> None:
    entry = published(org, "户口迁移需要的证明开不出来", "派出所可直接开具", visibility="public")
    check_edit_entry(
        org.officeadmin,
        entry.pk,
        EntryFields(
            problem="尚未审核的新问题描述", solution="尚未审核的新办法", visibility="public"
        ),
    )
    page = text(public().get(f"/faq/{entry.pk}/"))
    assert "派出所可直接开具" in page
    assert "尚未审核" not in page


def test_elderly_mode(org: Org) -> None:
    published(org, "户口迁移需要的证明开不出来", "派出所可直接开具", visibility="public")
    client = Client()
    client.post("/elder/", {"elder": "1", "next": "/faq/"})
    page = text(client.get("/faq/", {"q": "户口"}))
    assert 'class="public elder"' in page
    assert "<mark>户口</mark>迁移" in page


def test_bad_input(org: Org) -> None:
    internal = published(org, "社保卡补办时系统提示信息不一致", "到人社窗口核对身份信息")
    for path in (f"/faq/{internal.pk}/", "/faq/99999999999999999999/", "/faq/abc/"):
        response = public().get(path)
        assert response.status_code == 404, path
        assert "常见问题中没有这个问题" in text(response)
    assert public().get("/faq/", {"q": "！？", "page": "x"}).status_code == 200
    # the edge refuses a NUL byte in any parameter before the view (web.edge)
    assert public().get("/faq/", {"q": "a\x00b"}).status_code == 400

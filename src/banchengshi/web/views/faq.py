"""The public FAQ (R-KB-1): the knowledge entries published for the public, searched in
Chinese with the matches marked, and one entry's page. The published version is shown,
never a draft waiting for review."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from banchengshi.cases import causes
from banchengshi.errors import NotFound
from banchengshi.ids import parse_number
from banchengshi.knowledge.highlight import highlight
from banchengshi.knowledge.selectors import faq_entries, faq_entry, published_texts
from banchengshi.web.params import page_number
from banchengshi.web.public import PORTAL, page, public_view

PER_PAGE = 20


@public_view("public_read")
@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    current = Paginator(faq_entries(text), PER_PAGE).get_page(page_number(request.GET))
    texts = published_texts(list(current))
    items = [
        {
            "id": entry.pk,
            "problem": highlight(texts[entry.pk].problem, text),
            "solution": highlight(texts[entry.pk].solution, text),
        }
        for entry in current
        if entry.pk in texts
    ]
    context = {"page": current, "items": items, "q": text}
    return page(request, PORTAL, "web/public_faq.html", context)


@public_view("public_read")
@require_GET
def faq_item(request: HttpRequest, entry_id: str) -> HttpResponse:
    number = parse_number(entry_id)
    entry = faq_entry(number) if number is not None else None
    texts = published_texts([entry]) if entry is not None else {}
    if entry is None or entry.pk not in texts:
        raise NotFound(_("This question is not in the FAQ."))
    published = texts[entry.pk]
    cause = causes.get(published.cause_code)
    context = {
        "entry": entry,
        "text": published,
        "cause": cause.label if cause else "",
        "matters": [m for m in entry.matters.all() if m.is_public and m.is_active],
    }
    return page(request, PORTAL, "web/public_faq_item.html", context)

"""The public service guide (R-CAT-1, seed 004 "open work"): the catalogue's public matters with
the department that owns each, where it is handled, its legal time limit, materials, fees and
how it can be done (online, anywhere in the city, door to door, at a remote window)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from banchengshi.catalog.selectors import guide_departments, public_matter, search_matters
from banchengshi.errors import NotFound
from banchengshi.ids import parse_number
from banchengshi.web.params import page_number
from banchengshi.web.public import PORTAL, page, public_view

PER_PAGE = 20


@public_view("public_read")
@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:100]
    department_id = parse_number(request.GET.get("department", ""))
    matters = search_matters(text, public_only=True, department_id=department_id)
    paginator = Paginator(matters, PER_PAGE)
    current = paginator.get_page(page_number(request.GET))
    context = {
        "page": current,
        "q": text,
        "department_id": department_id,
        "departments": guide_departments(),
    }
    return page(request, PORTAL, "web/public_guide.html", context)


@public_view("public_read")
@require_GET
def guide_matter(request: HttpRequest, code: str) -> HttpResponse:
    matter = public_matter(code[:40])
    if matter is None:
        raise NotFound(_("This matter is not in the service guide."))
    return page(request, PORTAL, "web/public_guide_matter.html", {"matter": matter})

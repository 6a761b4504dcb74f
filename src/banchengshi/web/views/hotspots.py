"""举一反三 and hot spots (R-KB-3) on the workbench: the case page's panel of similar open
cases (loaded by htmx, or opened as a page without JavaScript) with a form linking them, a
group's page with the group answer, and the office's page of hot-spot alerts."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from banchengshi.cases.access import may
from banchengshi.cases.models import Case
from banchengshi.cases.preconditions import CaseFacts, blocker
from banchengshi.cases.selectors import find_case
from banchengshi.cases.states import Act
from banchengshi.errors import ActionRefused, InvalidInput
from banchengshi.ids import parse_number
from banchengshi.knowledge.hotspots.actions import (
    MAX_LINKED,
    check_answer_group,
    check_link_cases,
)
from banchengshi.knowledge.hotspots.selectors import (
    alerts_page,
    group_of,
    group_view,
    subject_label,
)
from banchengshi.knowledge.hotspots.similar import similar_open_cases
from banchengshi.org.scope import Scope
from banchengshi.web.forms.hotspots import GroupAnswerForm
from banchengshi.web.staff import signed_in, staff_view


@require_safe
@staff_view
def case_similar(request: HttpRequest, case_id: int) -> HttpResponse:
    """The panel; the "link" form only where linking can succeed (the case page's pattern of
    offering only what the person may do now): a case the person may link, still open."""
    scope = signed_in(request).scope
    case = find_case(scope, case_id)
    found = similar_open_cases(scope, case)
    context = {
        "case": case,
        "group_id": group_of(case.pk),
        "rows": [(item, _may_link(scope, item.similar.case)) for item in found],
        "may_link": _may_link(scope, case),
    }
    fragment = bool(getattr(request, "htmx", False))
    return render(request, f"web/similar_{'panel' if fragment else 'page'}.html", context)


def _may_link(scope: Scope, case: Case) -> bool:
    return blocker(Act.LINK_SIMILAR, CaseFacts(case)) is None and may(scope, Act.LINK_SIMILAR, case)


@require_POST
@staff_view
def case_link(request: HttpRequest, case_id: int) -> HttpResponse:
    chosen = [parse_number(v) for v in request.POST.getlist("case_ids")[: MAX_LINKED + 1]]
    try:
        group = check_link_cases(
            signed_in(request).user, case_id, others=[pk or 0 for pk in chosen]
        )
    except InvalidInput as invalid:
        for errors in invalid.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("web:case", case_id)
    except ActionRefused as refused:
        messages.error(request, str(refused.message))
        return redirect("web:case", case_id)
    messages.success(request, _("The cases are linked."))
    return redirect("web:group", group.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def group(request: HttpRequest, group_id: int) -> HttpResponse:
    person = signed_in(request)
    view = group_view(person.scope, group_id)
    form = GroupAnswerForm(request.POST or None, initial={"text": view.group.reply_text})
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = check_answer_group(
                    person.user,
                    group_id,
                    text=form.cleaned_data["text"],
                    channel=form.cleaned_data["channel"],
                )
            except InvalidInput as invalid:
                for field, errors in invalid.errors.items():
                    form.add_error(
                        field if field in form.fields else None, [str(e) for e in errors]
                    )
                status = 422
        else:
            status = 422
        if result is not None:
            messages.success(
                request,
                ngettext("%(count)d case answered.", "%(count)d cases answered.", len(result.sent))
                % {"count": len(result.sent)},
            )
            view = group_view(person.scope, group_id)
    context = {"view": view, "form": form, "result": result}
    return render(request, "web/group.html", context, status=status)


@require_safe
@staff_view
def hotspots(request: HttpRequest) -> HttpResponse:
    alerts = alerts_page(signed_in(request).scope)
    rows = [(alert, subject_label(alert)) for alert in alerts]
    return render(request, "web/hotspots.html", {"rows": rows})

"""The case page: everything about one case, and a form for each thing the person may do now.

GET shows it. Each form posts to its own address, which calls one action: when it works, a
redirect back with a message; when the action refuses, the page again with the form open —
field errors beside the fields (422), a conflict or another refusal in the form (409, 403 …).
With htmx a form with field errors is swapped in place and anything else redraws the case;
without JavaScript the same answers are whole pages.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, reselect, reswap, retarget

from banchengshi.audit.personal_data import log_case_view
from banchengshi.cases.attachments import find_attachment
from banchengshi.cases.states import Act
from banchengshi.errors import ActionRefused, Conflict, InvalidInput, NotFound
from banchengshi.knowledge.rectification.selectors import items_of_case
from banchengshi.web.case_display import build_case_page
from banchengshi.web.forms.case_actions import ACTION_FORMS, ActionForm, AttachmentForm
from banchengshi.web.staff import HtmxRequest, signed_in, staff_view

PAGE_ID = "case-page"


@require_safe
@staff_view
def case_page(request: HtmxRequest, case_id: int) -> HttpResponse:
    return _page(request, case_id)


@require_POST
@staff_view
def case_act(request: HtmxRequest, case_id: int, act: str) -> HttpResponse:
    try:
        form_class = ACTION_FORMS[Act(act)]
    except (ValueError, KeyError):
        raise Http404 from None
    return _submit(request, case_id, form_class(request.POST))


@require_POST
@staff_view
def case_attach(request: HtmxRequest, case_id: int) -> HttpResponse:
    return _submit(request, case_id, AttachmentForm(request.POST, request.FILES))


@require_safe
@staff_view
def case_attachment(request: HttpRequest, case_id: int, attachment_id: int) -> HttpResponse:
    attachment = find_attachment(signed_in(request).scope, case_id, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise NotFound(
            _("The file of this attachment is missing from storage; tell your administrator.")
        ) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    # Never shown as a page of this site, whatever the bytes are.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # staff_view is typed for pages; it passes a streamed file through unchanged.
    return cast(HttpResponse, response)


def _submit(request: HtmxRequest, case_id: int, form: ActionForm) -> HttpResponse:
    if not form.is_valid():
        form.focus_first_error()
        return _page(request, case_id, form, status=422)
    try:
        form.perform(signed_in(request).user, case_id)
    except InvalidInput as invalid:
        form.add_engine_errors(invalid.errors)
        return _page(request, case_id, form, status=422)
    except ActionRefused as refused:
        form.add_error(None, str(refused.message))
        conflict = isinstance(refused, Conflict)
        return _page(request, case_id, form, status=refused.status, refresh_version=conflict)
    message = form.success_message()
    if message:
        messages.success(request, message)
    url = form.next_url(case_id)
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _page(
    request: HtmxRequest,
    case_id: int,
    posted: ActionForm | None = None,
    *,
    status: int = 200,
    refresh_version: bool = False,
) -> HttpResponse:
    page = build_case_page(
        signed_in(request).scope, case_id, posted, refresh_version=refresh_version
    )
    log_case_view(request, page.detail)
    response = render(
        request,
        "web/case.html",
        {
            "page": page,
            "case": page.case,
            "page_id": PAGE_ID,
            "rectifications": items_of_case(case_id),
        },
        status=status,
    )
    if request.htmx and posted is not None and (status != 422 or page.stray_errors):
        # The form's own panel is not enough: show the case as it is now.
        retarget(response, f"#{PAGE_ID}")
        reselect(response, f"#{PAGE_ID}")
        reswap(response, "outerHTML")
    return response

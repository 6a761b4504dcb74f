"""Registering an appeal at the window (R-IN-1, R-IN-4, R-IN-6, R-IN-7): the form with its live
checks, the matter picker and the sidebar of earlier and similar cases; the confirmation; the
printed registration form (登记表), which carries the petitioner's access code once, and the
handling form (处理单, R-DIS-6)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from banchengshi.audit.personal_data import log_case_view
from banchengshi.cases import causes
from banchengshi.cases.actions.window import (
    validate_window_registration,
    window_units,
)
from banchengshi.cases.selectors import case_detail
from banchengshi.cases.similar import registration_hints
from banchengshi.catalog.models import Matter
from banchengshi.catalog.selectors import search_matters
from banchengshi.errors import InvalidInput
from banchengshi.identifiers import grouped
from banchengshi.intake.access import WindowRegistration, check_register_with_code
from banchengshi.knowledge.proposals.proposer import ProposalInput, propose
from banchengshi.org.names import full_name
from banchengshi.web.forms.registration import (
    CHECKED_FIELDS,
    RegistrationForm,
    UnitOptions,
    unit_options,
)
from banchengshi.web.proposal_display import proposal_rows
from banchengshi.web.staff import signed_in, staff_view

# A clerk sits at the same window all day: the number is offered again on the next form.
WINDOW_SESSION_KEY = "register_window"
MATTERS_SHOWN = 10
# The live check and the sidebar read only what was typed, never the unit choices.
NO_UNITS = UnitOptions([], [], [])
# Tells the sidebar and the proposals to look again when the chosen matter changes (no input
# event is fired); after the swap, so that they read the new matter.
MATTER_CHOSEN = "matter-chosen"
# The access code waits in the session only until the registration form is printed, and at
# most WINDOW_CODE_SECONDS (a code should not wait in a session store): it is printed once.
WINDOW_CODE_KEY = "register_access_code"
WINDOW_CODE_SECONDS = 600


def _chosen_matter(matter_id: int | None) -> Matter | None:
    if matter_id is None:
        return None
    return search_matters().filter(pk=matter_id).prefetch_related("handling_centers").first()


@staff_view
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    units = unit_options(window_units(signed_in(request).user))
    initial = {"window": request.session.get(WINDOW_SESSION_KEY, "")}
    if request.method != "POST":
        form = RegistrationForm(units=units, initial=initial)
        return render(request, "web/register.html", {"form": form, "matter": None})
    form = RegistrationForm(request.POST, units=units, initial=initial)
    registered = _submit(request, form)
    if registered is not None:
        case = registered.case
        request.session[WINDOW_SESSION_KEY] = case.window
        request.session[WINDOW_CODE_KEY] = {
            "case_id": case.pk,
            "access_code": grouped(registered.access_code),
            "at": int(timezone.now().timestamp()),
        }
        return redirect("web:register_done", case_id=case.pk)
    matter = _chosen_matter(form.cleaned_data.get("matter_id"))
    return render(request, "web/register.html", {"form": form, "matter": matter}, status=422)


def _submit(request: HttpRequest, form: RegistrationForm) -> WindowRegistration | None:
    """The registered case and its access code, or None with every problem shown under its
    field."""
    data = form.registration()
    outcome = request.POST.get("outcome", "")
    texts = {
        "reason": form.cleaned_data.get("reason", ""),
        "reply": form.cleaned_data.get("reply", ""),
    }
    try:
        if form.is_valid():
            return check_register_with_code(signed_in(request).user, data, outcome, **texts)
        # A value the form could not convert is already an error; add the engine's others.
        validate_window_registration(data, outcome, **texts)
    except InvalidInput as exc:
        form.show_errors(exc.errors)
    return None


@staff_view
@require_POST
def register_check(request: HttpRequest, field: str) -> HttpResponse:
    """The messages of one field (htmx): the engine's validation of what is typed so far."""
    window_units(signed_in(request).user)
    if field not in CHECKED_FIELDS:
        raise Http404
    form = RegistrationForm(request.POST, units=NO_UNITS)
    return render(request, "web/register_field_error.html", {"errors": form.problems_of(field)})


@staff_view
@require_GET
def register_matters(request: HttpRequest) -> HttpResponse:
    """Matters of the catalogue matching what is typed (htmx); `picker` clears the choice."""
    window_units(signed_in(request).user)
    if "picker" in request.GET:
        response = render(request, "web/register_matter_picker.html", {"focus": True})
        return trigger_client_event(response, MATTER_CHOSEN, after="swap")
    text = request.GET.get("matter_q", "").strip()[:100]
    found = list(search_matters(text)[: MATTERS_SHOWN + 1]) if text else []
    context = {"matters": found[:MATTERS_SHOWN], "more": len(found) > MATTERS_SHOWN, "text": text}
    return render(request, "web/register_matter_results.html", context)


@staff_view
@require_GET
def register_matter(request: HttpRequest, matter_id: int) -> HttpResponse:
    """The picker with a matter chosen: its owning department and where it is handled."""
    window_units(signed_in(request).user)
    matter = _chosen_matter(matter_id)
    if matter is None:
        raise Http404
    context = {"matter": matter, "focus": True}
    response = render(request, "web/register_matter_picker.html", context)
    return trigger_client_event(response, MATTER_CHOSEN, after="swap")


@staff_view
@require_POST
def register_hints(request: HttpRequest) -> HttpResponse:
    """The sidebar (htmx): the petitioner's earlier cases and similar recent cases."""
    window_units(signed_in(request).user)
    data = RegistrationForm(request.POST, units=NO_UNITS).registration()
    hints = registration_hints(signed_in(request).scope, data)
    return render(request, "web/register_hints.html", {"hints": hints})


@staff_view
@require_POST
def register_proposals(request: HttpRequest) -> HttpResponse:
    """The proposals panel (htmx, R-IN-5, R-IN-7): category, complexity, matter and unit with
    their reasons, each with a button taking it into the form, and the knowledge entries that
    fit; nothing until the appeal's text or matter is given."""
    window_units(signed_in(request).user)
    form = RegistrationForm(request.POST, units=NO_UNITS)
    data = form.registration()
    typed = ProposalInput(
        description=data.description,
        request=data.request,
        matter_id=data.matter_id,
        matter_text=data.matter_text,
    )
    if not (typed.description.strip() or typed.request.strip() or typed.matter_text.strip()):
        return render(request, "web/register_proposals.html", {"proposal": None})
    # The similar cases are the sidebar's own list (register_hints), not read twice.
    proposal = propose(typed, scope=signed_in(request).scope, similar=False)
    context = {"proposal": proposal, "rows": proposal_rows(proposal, data)}
    return render(request, "web/register_proposals.html", context)


@staff_view
@require_GET
def register_done(request: HttpRequest, case_id: int) -> HttpResponse:
    detail = case_detail(signed_in(request).scope, case_id)
    waiting = _waiting_code(request, case_id) is not None
    context = {"detail": detail, "case": detail.case, "code_waiting": waiting}
    return render(request, "web/register_done.html", context)


def _waiting_code(request: HttpRequest, case_id: int) -> str | None:
    """The access code of the case just registered in this session, not yet printed."""
    waiting = request.session.get(WINDOW_CODE_KEY)
    if waiting is None or waiting["case_id"] != case_id:
        return None
    if waiting["at"] < timezone.now().timestamp() - WINDOW_CODE_SECONDS:
        del request.session[WINDOW_CODE_KEY]
        return None
    return str(waiting["access_code"])


def _printout(
    request: HttpRequest, case_id: int, template: str, access_code: str = ""
) -> HttpResponse:
    detail = case_detail(signed_in(request).scope, case_id)
    log_case_view(request, detail)
    case = detail.case
    context = {
        "detail": detail,
        "case": case,
        "registered_by": full_name(case.registered_by) if case.registered_by else "",
        "cause": causes.get(case.cause_code),
        "access_code": access_code,
    }
    return render(request, template, context)


@staff_view
@require_GET
def print_slip(request: HttpRequest, case_id: int) -> HttpResponse:
    """The registration form (办不成事反映登记表) as registered, for the file and the person;
    printed first after the registration, it carries the access code, which is then forgotten
    (a reprint has none: a lost code is not shown again)."""
    code = _waiting_code(request, case_id)
    response = _printout(request, case_id, "web/print_slip.html", code or "")
    if code is not None:
        del request.session[WINDOW_CODE_KEY]
    return response


@staff_view
@require_GET
def print_handling(request: HttpRequest, case_id: int) -> HttpResponse:
    """The handling form (办不成事事项处理单) that goes with the case to the unit handling it:
    the appeal, the requirements and deadlines, and space for the unit's answer."""
    return _printout(request, case_id, "web/print_handling.html")

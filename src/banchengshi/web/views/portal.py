"""The online window (R-IN-2, R-IN-4): what it is for, the report form with its live checks,
and the confirmation that shows the tracking number and access code once. The kiosk shows
the same pages in its own frame (web.views.kiosk)."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from banchengshi.errors import InvalidInput
from banchengshi.identifiers import grouped
from banchengshi.ids import parse_number
from banchengshi.intake.portal import (
    MAX_FILE_BYTES,
    MAX_FILES,
    check_file_appeal,
    validate_appeal,
)
from banchengshi.intake.tracking import ProofKind
from banchengshi.policy.rules import policy_in_force
from banchengshi.web.forms.public_report import (
    CHECKED_FIELDS,
    PublicReportForm,
    looks_automated,
    public_choices,
)
from banchengshi.web.params import local_url
from banchengshi.web.public import (
    ELDER_COOKIE,
    PORTAL,
    Site,
    channel_of,
    is_elder,
    page,
    public_view,
    remember_case,
)

# Shown once: the confirmation page takes it out of the session as it shows it, and not at
# all after FILED_SECONDS (the access code should not wait in a session store).
FILED = "public_filed"
FILED_SECONDS = 600


@public_view("public_read")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return landing(request, PORTAL)


def landing(request: HttpRequest, site: Site) -> HttpResponse:
    policy = policy_in_force()
    limits = [limit.label for limit in policy.petitioner_limits() if limit.label]
    return page(request, site, "web/public_home.html", {"policy": policy, "limits": limits})


def _form(request: HttpRequest, site: Site, bound: bool, uploads: bool = True) -> PublicReportForm:
    initial = {}
    matter = parse_number(request.GET.get("matter", ""))
    if matter is not None:
        initial["matter_id"] = matter
    return PublicReportForm(
        request.POST if bound else None,
        request.FILES if bound and uploads else None,
        choices=public_choices(),
        channel=channel_of(request, site),
        check_url=site.report_check,
        plain=is_elder(request),
        with_files=site.with_files,
        initial=initial,
    )


@public_view("public_report")
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    return report_page(request, PORTAL)


def report_page(request: HttpRequest, site: Site) -> HttpResponse:
    form = _form(request, site, bound=request.method == "POST")
    context = {
        "form": form,
        "max_files": MAX_FILES if site.with_files else 0,
        "max_file_size": filesizeformat(MAX_FILE_BYTES),
    }
    if request.method != "POST":
        return page(request, site, "web/public_report.html", context)
    if looks_automated(request.POST):
        form.add_error(
            None,
            _("The form could not be sent. Please check it and press “Send” again."),
        )
        return page(request, site, "web/public_report.html", context, status=400)
    try:
        if form.is_valid():
            filed = check_file_appeal(form.registration(), form.uploads())
            # Filing it is as good as knowing its code.
            remember_case(request, filed.case.pk, ProofKind.ACCESS_CODE)
            request.session[FILED] = {
                "tracking_no": filed.case.tracking_no,
                "access_code": grouped(filed.access_code),
                "at": int(timezone.now().timestamp()),
            }
            return redirect(site.report_done)
        # A value the form could not convert is already an error; add the engine's others.
        validate_appeal(form.registration(), form.uploads())
    except InvalidInput as exc:
        form.show_errors(exc.errors)
    return page(request, site, "web/public_report.html", context, status=422)


@public_view("public_check")
@require_POST
def report_check(request: HttpRequest, field: str) -> HttpResponse:
    return check_field(request, PORTAL, field)


def check_field(request: HttpRequest, site: Site, field: str) -> HttpResponse:
    """The messages of one field as typed (htmx): the engine's validation."""
    if field not in CHECKED_FIELDS:
        raise Http404
    form = _form(request, site, bound=True, uploads=False)
    return render(request, "web/register_field_error.html", {"errors": form.problems_of(field)})


@public_view("public_read")
@require_GET
def report_done(request: HttpRequest) -> HttpResponse:
    return done_page(request, PORTAL)


def done_page(request: HttpRequest, site: Site) -> HttpResponse:
    filed = request.session.pop(FILED, None)
    if filed is None or filed["at"] < timezone.now().timestamp() - FILED_SECONDS:
        # Reloaded, or opened afresh: the code was shown once and is not shown again.
        return redirect(site.track)
    return page(request, site, "web/public_report_done.html", {"filed": filed})


@public_view("public_read")
@require_POST
def elder_switch(request: HttpRequest) -> HttpResponse:
    """适老化 on or off, remembered by this browser for a year."""
    response = redirect(local_url(request, request.POST.get("next"), "/"))
    if request.POST.get("elder") == "1":
        response.set_cookie(
            ELDER_COOKIE,
            "1",
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response

"""Following one's own appeal without an account (R-IN-2), and rating its answer (R-RV-2).

A browser sees an appeal after proving it: the tracking number with the access code or the
last four digits of the phone (intake.tracking), or the signed link of the reply's SMS. What
it proved is kept in its session. A wrong pair is answered the same whether the number exists
or not, and every address and every tracking number may try only a few times an hour.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from banchengshi.cases.actions import check_rate_case
from banchengshi.cases.errors import InvalidInput, InvalidState
from banchengshi.cases.models import Case, ReturnVisit
from banchengshi.intake.public_view import public_case
from banchengshi.intake.ratelimit import hit, limit_named
from banchengshi.intake.tracking import own_case, rating_link, tracking_number
from banchengshi.web.forms.public_tracking import RatingForm, TrackForm
from banchengshi.web.public import (
    PORTAL,
    Site,
    is_own_case,
    page,
    public_view,
    refusal,
    remember_case,
)

NOT_MATCHED = "not_matched"


@public_view("public_track")
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    return track_page(request, PORTAL)


def track_page(request: HttpRequest, site: Site) -> HttpResponse:
    if request.method != "POST":
        form = TrackForm(initial={"tracking_no": request.GET.get("no", "")[:40]})
        return page(request, site, "web/public_track.html", {"form": form})
    form = TrackForm(request.POST)
    if not form.is_valid():
        return page(request, site, "web/public_track.html", {"form": form}, status=422)
    number = tracking_number(form.cleaned_data["tracking_no"])
    # Counted by number as well as by address: four digits are guessed from many addresses.
    verdict = hit(limit_named("public_track_number"), f"number:{number}")
    case = own_case(number, form.cleaned_data["secret"]) if verdict.allowed else None
    if case is None:
        form.add_error(
            None,
            _(
                "The tracking number and the code or digits do not match. Check both, or ask "
                "at a service window."
            )
            if verdict.allowed
            else _("Too many tries for this tracking number. Please try again in an hour."),
        )
        return page(request, site, "web/public_track.html", {"form": form}, status=422)
    remember_case(request, case.pk)
    return redirect(site.case, tracking_no=case.tracking_no)


def _own_case_id(request: HttpRequest, tracking_no: str) -> int | None:
    case_id = (
        Case.objects.filter(tracking_no=tracking_number(tracking_no))
        .values_list("pk", flat=True)
        .first()
    )
    return case_id if case_id is not None and is_own_case(request, case_id) else None


@public_view("public_read")
@require_http_methods(["GET"])
def track_case(request: HttpRequest, tracking_no: str) -> HttpResponse:
    return case_page(request, PORTAL, tracking_no)


def case_page(request: HttpRequest, site: Site, tracking_no: str) -> HttpResponse:
    case_id = _own_case_id(request, tracking_no)
    if case_id is None:
        # Not proven in this browser (or no such number: the same answer).
        return redirect(f"{reverse(site.track)}?no={tracking_number(tracking_no)}")
    return _show(request, site, case_id, RatingForm(), rate_url=None)


def _show(
    request: HttpRequest,
    site: Site,
    case_id: int,
    form: RatingForm,
    rate_url: str | None,
    status: int = 200,
) -> HttpResponse:
    view = public_case(case_id)
    context = {
        "view": view,
        "form": form,
        "rate_url": rate_url or reverse(site.rate, args=[view.tracking_no]),
        "thanks": request.GET.get("rated") == "1",
    }
    return page(request, site, "web/public_case.html", context, status=status)


@public_view("public_rate")
@require_POST
def track_rate(request: HttpRequest, tracking_no: str) -> HttpResponse:
    return rate(request, PORTAL, tracking_no, ReturnVisit.Channel.PORTAL)


def rate(request: HttpRequest, site: Site, tracking_no: str, channel: str) -> HttpResponse:
    case_id = _own_case_id(request, tracking_no)
    if case_id is None:
        return redirect(f"{reverse(site.track)}?no={tracking_number(tracking_no)}")
    form = RatingForm(request.POST)
    return _rate(request, site, case_id, form, channel, None, rate_url=None)


def _rate(
    request: HttpRequest,
    site: Site,
    case_id: int,
    form: RatingForm,
    channel: str,
    answer_round: int | None,
    rate_url: str | None,
) -> HttpResponse:
    if form.is_valid():
        try:
            check_rate_case(case_id, channel=channel, answer_round=answer_round, **form.opinion())
        except InvalidInput as exc:
            form.show_errors(exc.errors)
        except InvalidState as exc:  # rated already, or a link of an earlier answer
            form.add_error(None, str(exc.message))
        else:
            view = public_case(case_id)
            return redirect(f"{reverse(site.case, args=[view.tracking_no])}?rated=1")
    return _show(request, site, case_id, form, rate_url, status=422)


@public_view("public_rate")
@require_http_methods(["GET", "POST"])
def rating_link_page(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the reply's SMS: it proves the appeal, and rates the answer it came with."""
    link = rating_link(token)
    if link is None:
        message = _(
            "This link is not valid or has expired. Find your appeal with its tracking number "
            "and the last 4 digits of your phone."
        )
        return refusal(request, PORTAL, message, status=404)
    remember_case(request, link.case_id)
    here = request.path
    if request.method != "POST":
        return _show(request, PORTAL, link.case_id, RatingForm(), rate_url=here)
    form = RatingForm(request.POST)
    return _rate(
        request, PORTAL, link.case_id, form, ReturnVisit.Channel.SMS_LINK, link.round, here
    )

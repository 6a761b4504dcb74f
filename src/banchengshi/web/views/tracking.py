"""Following one's own appeal without an account (R-IN-2), and rating its answer (R-RV-2).

A browser sees an appeal after proving it (intake.tracking): the tracking number with the
access code or, for an appeal without one, the last four digits of the phone; or the signed
link of the reply's SMS. What it proved, and how, is kept in its session for an hour. A wrong
pair is answered the same whether the number exists or not. Rating needs the code or the link
(cases.actions.answer.PROOFS_TO_RATE): the phone's digits only open the page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from banchengshi.cases.actions.answer import PROOFS_TO_RATE, check_rate_case
from banchengshi.cases.models import Case, ReturnVisit
from banchengshi.errors import InvalidInput, InvalidState
from banchengshi.intake.public_view import public_case
from banchengshi.intake.ratelimit import client_address
from banchengshi.intake.tracking import (
    ProofKind,
    TooManyTries,
    prove,
    rating_link,
    rating_token,
    tracking_number,
)
from banchengshi.notify.models import ShortLink
from banchengshi.notify.shortlinks import resolve_short_link
from banchengshi.web.forms.public_tracking import RatingForm, TrackForm
from banchengshi.web.public import (
    PORTAL,
    Site,
    limit_name,
    page,
    proof_of,
    public_view,
    refusal,
    remember_case,
)


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
    try:
        proof = prove(
            form.cleaned_data["tracking_no"],
            form.cleaned_data["secret"],
            address=client_address(request),
            guesses=limit_name(request, site, "public_track_guess"),
        )
    except TooManyTries as spent:
        form.add_error(
            None,
            _(
                "The code or digits were entered wrongly too often from your address. "
                "Please try again in %(minutes)d minutes, or use the link in your SMS."
            )
            % {"minutes": max(1, (spent.retry_after + 59) // 60)},
        )
        return page(request, site, "web/public_track.html", {"form": form}, status=422)
    if proof is None:
        form.add_error(
            None,
            _(
                "The tracking number and the code or digits do not match. Check both, or ask "
                "at a service window."
            ),
        )
        return page(request, site, "web/public_track.html", {"form": form}, status=422)
    remember_case(request, proof.case_id, proof.kind)
    return redirect(site.case, tracking_no=proof.tracking_no)


def _to_lookup(site: Site, tracking_no: str) -> HttpResponse:
    """Not proven in this browser (or no such number: the same answer)."""
    return redirect(f"{reverse(site.track)}?{urlencode({'no': tracking_number(tracking_no)})}")


def _own_case(request: HttpRequest, tracking_no: str) -> tuple[int, str] | None:
    """(case id, how it was proven) of the appeal with this number, if proven here."""
    case_id = (
        Case.objects.filter(tracking_no=tracking_number(tracking_no))
        .values_list("pk", flat=True)
        .first()
    )
    if case_id is None:
        return None
    kind = proof_of(request, case_id)
    return (case_id, kind) if kind is not None else None


@public_view("public_read")
@require_http_methods(["GET"])
def track_case(request: HttpRequest, tracking_no: str) -> HttpResponse:
    return case_page(request, PORTAL, tracking_no)


def case_page(request: HttpRequest, site: Site, tracking_no: str) -> HttpResponse:
    own = _own_case(request, tracking_no)
    if own is None:
        return _to_lookup(site, tracking_no)
    return _show(request, site, own[0], own[1], RatingForm(), rate_url=None)


def _show(
    request: HttpRequest,
    site: Site,
    case_id: int,
    proof: str,
    form: RatingForm,
    rate_url: str | None,
    status: int = 200,
) -> HttpResponse:
    view = public_case(case_id)
    context = {
        "view": view,
        "form": form,
        "may_rate_here": proof in PROOFS_TO_RATE,
        "rate_url": rate_url or reverse(site.rate, args=[view.tracking_no]),
        "thanks": request.GET.get("rated") == "1",
    }
    return page(request, site, "web/public_case.html", context, status=status)


@public_view("public_rate")
@require_POST
def track_rate(request: HttpRequest, tracking_no: str) -> HttpResponse:
    return rate(request, PORTAL, tracking_no, ReturnVisit.Channel.PORTAL)


def rate(request: HttpRequest, site: Site, tracking_no: str, channel: str) -> HttpResponse:
    own = _own_case(request, tracking_no)
    if own is None:
        return _to_lookup(site, tracking_no)
    form = RatingForm(request.POST)
    return _rate(request, site, own[0], own[1], form, channel, None, rate_url=None)


def _rate(
    request: HttpRequest,
    site: Site,
    case_id: int,
    proof: str,
    form: RatingForm,
    channel: str,
    answer_round: int | None,
    rate_url: str | None,
) -> HttpResponse:
    if form.is_valid():
        try:
            visit = check_rate_case(
                case_id, channel=channel, proof=proof, answer_round=answer_round, **form.opinion()
            )
        except InvalidInput as exc:
            form.show_errors(exc.errors)
        except InvalidState as exc:  # rated already, or a link of an earlier answer
            form.add_error(None, str(exc.message))
        else:
            number = Case.objects.values_list("tracking_no", flat=True).get(pk=visit.case_id)
            return redirect(f"{reverse(site.case, args=[number])}?rated=1")
    return _show(request, site, case_id, proof, form, rate_url, status=422)


def _link_not_valid(request: HttpRequest) -> HttpResponse:
    message = _(
        "This link is not valid or has expired. Find your appeal with its tracking number "
        "and your access code, or the last 4 digits of your phone."
    )
    return refusal(request, PORTAL, message, status=404)


@public_view("public_read")
@require_http_methods(["GET"])
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """The short link of an SMS (notify.shortlinks): on to the page it stands for."""
    link = resolve_short_link(code)
    if link is None:
        return _link_not_valid(request)
    if link.purpose == ShortLink.Purpose.RATE:
        return redirect("web:rating_link", token=rating_token(link.case_id, link.round))
    return _link_not_valid(request)


@public_view("public_rate")
@require_http_methods(["GET", "POST"])
def rating_link_page(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the reply's SMS: it proves the appeal, and rates the answer it came with."""
    link = rating_link(token)
    if link is None:
        return _link_not_valid(request)
    remember_case(request, link.case_id, ProofKind.SMS_LINK)
    here = request.path
    if request.method != "POST":
        return _show(request, PORTAL, link.case_id, ProofKind.SMS_LINK, RatingForm(), here)
    form = RatingForm(request.POST)
    return _rate(
        request,
        PORTAL,
        link.case_id,
        ProofKind.SMS_LINK,
        form,
        ReturnVisit.Channel.SMS_LINK,
        link.round,
        here,
    )

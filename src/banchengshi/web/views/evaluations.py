"""Service evaluations on the workbench (好差评, R-NB-4): the list of a person's units'
ratings (the office: all) with filters, the 差评 queue with its clocks and the appeals to
decide; one evaluation with its handling and appeal forms; entering a paper form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from banchengshi.errors import Forbidden, InvalidInput, NotFound
from banchengshi.evaluation.access import (
    may_appeal,
    may_decide,
    may_handle,
    may_read_any,
    reads_all,
)
from banchengshi.evaluation.actions.appeals import check_appeal, check_decide
from banchengshi.evaluation.actions.handling import (
    check_answer,
    check_close,
    check_rectify,
    check_verify,
)
from banchengshi.evaluation.actions.recording import check_record
from banchengshi.evaluation.models import AppealStatus, EvaluationChannel, HandlingStatus
from banchengshi.evaluation.selectors import (
    Filters,
    bad_review_queue,
    evaluation_view,
    evaluations_page,
    overdue_count,
    pending_appeals,
)
from banchengshi.org.models import HANDLING_KINDS, Unit
from banchengshi.org.scope import Scope
from banchengshi.web.forms.evaluations import (
    AnswerForm,
    AppealForm,
    CloseForm,
    DecideForm,
    FilterForm,
    PaperForm,
    RectifyForm,
    VerifyForm,
)
from banchengshi.web.params import page_number
from banchengshi.web.staff import signed_in, staff_view
from banchengshi.workdays.calendar import SHANGHAI

# Each step of the page: its form and the action it feeds.
STEP_FORMS: dict[str, type[Any]] = {
    "verify": VerifyForm,
    "answer": AnswerForm,
    "rectify": RectifyForm,
    "close": CloseForm,
    "appeal": AppealForm,
    "decide": DecideForm,
}
# The handling step open in each status.
STEP_OF_STATUS = {
    HandlingStatus.TO_VERIFY: "verify",
    HandlingStatus.TO_ANSWER: "answer",
    HandlingStatus.TO_RECTIFY: "rectify",
    HandlingStatus.TO_CLOSE: "close",
}


def _reader(request: HttpRequest) -> Scope:
    scope = signed_in(request).scope
    if not may_read_any(scope):
        raise Forbidden(_("Only the staff of the units rated, and the office, see evaluations."))
    return scope


def _day_start(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI) if day else None


@require_safe
@staff_view
def evaluations(request: HttpRequest) -> HttpResponse:
    scope = _reader(request)
    form = FilterForm(request.GET, units=_units_to_record(scope))
    data = form.cleaned_data if form.is_valid() else {}
    end = data.get("end")
    filters = Filters(
        level=data.get("level"),
        channel=data.get("channel") or "",
        subject_kind=data.get("subject_kind") or "",
        unit_id=data.get("unit"),
        start=_day_start(data.get("start")),
        end=_day_start(end + dt.timedelta(days=1)) if end else None,
    )
    listed = evaluations_page(scope, filters, page_number(request.GET))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "listed": listed,
        "query": query.urlencode(),
        "queue": bad_review_queue(scope, page_number(request.GET, "queue_page")),
        "overdue": overdue_count(scope),
        "appeals": pending_appeals(scope),
        "now": timezone.now(),
    }
    return render(request, "web/evaluations.html", context)


def _units_to_record(scope: Scope) -> list[tuple[int, str]]:
    units = Unit.objects.filter(is_active=True, kind__in=HANDLING_KINDS)
    if not reads_all(scope):
        units = units.filter(pk__in=scope.visible_unit_ids)
    return list(units.order_by("path").values_list("pk", "name"))


@require_http_methods(["GET", "HEAD", "POST"])
@staff_view
def paper(request: HttpRequest) -> HttpResponse:
    person = signed_in(request)
    units = _units_to_record(person.scope)
    if not units:
        raise Forbidden(_("Only the staff of the units rated, or the office, record ratings."))
    form = PaperForm(request.POST or None, units=units)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                evaluation = check_record(
                    person.user, channel=EvaluationChannel.PAPER, **form.arguments()
                )
            except InvalidInput as invalid:
                form.show_errors(invalid.errors)
            else:
                messages.success(request, _("The paper form is recorded."))
                return redirect("web:evaluation", evaluation.pk)
        status = 422
    return render(request, "web/evaluation_paper.html", {"form": form}, status=status)


def _forms(request: HttpRequest, view: Any) -> dict[str, Any]:
    """The forms the person may send now, each unbound."""
    user = signed_in(request).user
    evaluation, task, appeal = view.evaluation, view.task, view.appeal
    offered: dict[str, Any] = {}
    if task is not None and task.status in STEP_OF_STATUS and may_handle(user, task.unit_id):
        step = STEP_OF_STATUS[HandlingStatus(task.status)]
        offered[step] = STEP_FORMS[step]()
    if appeal is None and may_appeal(user, evaluation.unit_id):
        offered["appeal"] = AppealForm()
    if appeal is not None and appeal.status == AppealStatus.PENDING and may_decide(user):
        offered["decide"] = DecideForm()
    return offered


@require_safe
@staff_view
def evaluation(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    view = evaluation_view(_reader(request), evaluation_id)
    return _page(request, view, _forms(request, view))


def _page(
    request: HttpRequest, view: Any, offered: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {"view": view, "forms": offered, "now": timezone.now()}
    return render(request, "web/evaluation.html", context, status=status)


@require_POST
@staff_view
def evaluation_step(request: HttpRequest, evaluation_id: int, step: str) -> HttpResponse:
    scope = _reader(request)
    view = evaluation_view(scope, evaluation_id)
    if step not in STEP_FORMS:
        raise NotFound(_("There is no such step."))
    form = STEP_FORMS[step](request.POST)
    if form.is_valid():
        try:
            _run(request, step, view, form.cleaned_data)
        except InvalidInput as invalid:
            form.show_errors(invalid.errors)
        else:
            messages.success(request, _("Saved."))
            return redirect("web:evaluation", evaluation_id)
    offered = _forms(request, view)
    offered[step] = form
    return _page(request, view, offered, status=422)


def _run(request: HttpRequest, step: str, view: Any, data: dict[str, Any]) -> None:
    user = signed_in(request).user
    pk = view.evaluation.pk
    if step == "verify":
        check_verify(user, pk, genuine=data["genuine"], finding=data["finding"])
    elif step == "answer":
        check_answer(user, pk, answer=data["answer"])
    elif step == "rectify":
        check_rectify(user, pk, note=data["note"], item_id=data["item_id"])
    elif step == "close":
        check_close(user, pk, note=data["note"] or "")
    elif step == "appeal":
        check_appeal(user, pk, reason=data["reason"], explanation=data["explanation"])
    else:
        if view.appeal is None:
            raise NotFound(_("There is no such appeal."))
        check_decide(user, view.appeal.pk, upheld=data["upheld"], decision=data["decision"])

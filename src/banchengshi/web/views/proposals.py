"""The office's page on proposals at registration (R-IN-5): per field, how often the staff
kept what was proposed over a period, and the categories they chose instead, so that the
rules can be retuned from the district's own cases (`banchengshi proposals accuracy` stays
for the whole history)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from banchengshi.cases.models import Category
from banchengshi.knowledge.proposals.rules import rules
from banchengshi.knowledge.proposals.selectors import accuracy_report, require_accuracy
from banchengshi.web.forms.proposals import AccuracyPeriodForm
from banchengshi.web.staff import signed_in, staff_view
from banchengshi.workdays.calendar import local_date

FIELD_LABELS = {
    "category": _("Category"),
    "complexity": _("Complexity"),
    "matter": _("Service matter"),
    "unit": _("Responsible unit"),
}


@require_safe
@staff_view
def proposals(request: HttpRequest) -> HttpResponse:
    scope = signed_in(request).scope
    require_accuracy(scope)
    form = AccuracyPeriodForm(request.GET or None, today=local_date(timezone.now()))
    start, end = form.period()
    report = accuracy_report(scope, start=start, end=end)
    context = {
        "form": form,
        "report": report,
        "fields": [{"label": FIELD_LABELS[f.field], "accuracy": f} for f in report.fields],
        "overrides": [
            (Category(o.proposed).label, Category(o.kept).label, o.count) for o in report.overrides
        ],
        "rules_version": rules().version,
    }
    return render(request, "web/proposals.html", context)

"""The workbench home: the person's worklist, most urgent first, with counts by colour.

The counts and rows are one fragment that the page reloads every 30 seconds through htmx
(`worklist_rows`), with the same filters; without JavaScript the page works as a plain form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from banchengshi.cases import selectors
from banchengshi.cases.models import Category, Channel, State
from banchengshi.cases.selectors import WORK_COUNT_CAP, WorkFilters, work_colour, work_units
from banchengshi.org.scope import Scope
from banchengshi.web.staff import scope, staff_view

PER_PAGE = 25
ANY = ("", _("All"))
COLOUR_CHOICES = [
    ANY,
    ("red", _("Overdue")),
    ("yellow", _("Due soon")),
    ("green", _("On time")),
    ("none", _("No deadline")),
]


class WorkFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tracking number, phone, name or words"),
        help_text=_(
            "The last digits of a tracking number, a phone's last four digits, the start of a "
            "name, or words of the matter and of what failed."
        ),
        max_length=100,
        required=False,
    )
    colour = forms.ChoiceField(label=_("Deadline"), choices=COLOUR_CHOICES, required=False)
    state = forms.ChoiceField(label=_("State"), choices=[ANY, *State.choices], required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[ANY, *Category.choices], required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=[ANY, *Channel.choices], required=False)
    unit = forms.TypedChoiceField(label=_("Queue of"), coerce=int, required=False, empty_value=None)
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # Pages end where the capped count ends.
    page = forms.IntegerField(
        min_value=1, max_value=WORK_COUNT_CAP // PER_PAGE, required=False, widget=forms.HiddenInput
    )

    def __init__(self, data: Any, units: list[tuple[int, str]]) -> None:
        super().__init__(data, label_suffix="")
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.TypedChoiceField)
        unit_field.choices = [ANY, *units]
        if len(units) < 2:  # nothing to choose between
            unit_field.widget = forms.HiddenInput()

    def filters(self) -> WorkFilters:
        """The valid filters; a field given a wrong value filters nothing and says why."""
        self.is_valid()
        data = self.cleaned_data
        return WorkFilters(
            state=data.get("state", ""),
            category=data.get("category", ""),
            colour=data.get("colour", ""),
            unit_id=data.get("unit"),
            channel=data.get("channel", ""),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            text=data.get("q", ""),
        )


def _context(request: HttpRequest, person: Scope) -> dict[str, Any]:
    units = work_units(person)
    form = WorkFilterForm(request.GET, [(u.pk, u.name) for u in units])
    filters = form.filters()
    page = selectors.worklist(
        person, page=form.cleaned_data.get("page") or 1, per_page=PER_PAGE, filters=filters
    )
    now = timezone.now()
    return {
        "form": form,
        "work": page,
        "rows": [(item, work_colour(item, now)) for item in page.items],
        "has_queue": bool(units),
        "show_unit": len(units) > 1,
        "filtered": any(value for name, value in form.cleaned_data.items() if name != "page"),
        "has_next": page.page * page.per_page < page.total,
        "now": now,
        "cap": WORK_COUNT_CAP,
    }


@require_GET
@staff_view
def worklist(request: HttpRequest) -> HttpResponse:
    return render(request, "web/worklist.html", _context(request, scope(request)))


@require_GET
@staff_view
def worklist_rows(request: HttpRequest) -> HttpResponse:
    """The counts and rows alone, for the page's periodic refresh."""
    return render(request, "web/worklist_rows.html", _context(request, scope(request)))

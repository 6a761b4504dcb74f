"""A report as data: the figures of one period and scope with their words, the one shape every
format (JSON, XLSX, the web page) is written from. The JSON keys are a contract: other systems
read `received`, `replied_on_time`, `satisfaction_rate`… by name (docs/reports.md)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from banchengshi.cases.models import Category, CauseSide, Channel, Satisfaction
from banchengshi.reports.metrics import COUNTS, Figures, definitions

# Each count's words: what it counts, for the definitions printed with every report.
COUNT_WORDS = {
    "received": gettext_lazy("appeals received in the period"),
    "accepted": gettext_lazy("received and not found inadmissible"),
    "not_admissible": gettext_lazy("found inadmissible (answered with reasons)"),
    "on_the_spot": gettext_lazy("resolved on the spot"),
    "replied": gettext_lazy("replied to the petitioner"),
    "replied_on_time": gettext_lazy("replied within the reply limit (on the spot counts)"),
    "replied_late": gettext_lazy("replied after the reply limit"),
    "overdue": gettext_lazy("replied late, or still unanswered past a limit"),
    "overdue_open": gettext_lazy("still unanswered, past a running limit"),
    "contact_due": gettext_lazy("had a first contact to make"),
    "contacted_in_time": gettext_lazy("first contact within its limit"),
    "return_visits": gettext_lazy("visited again after the reply"),
    "rated": gettext_lazy("rated by the petitioner"),
    "satisfied": gettext_lazy("rated at a satisfied level"),
    "solved": gettext_lazy("called solved by the petitioner"),
    "solved_asked": gettext_lazy("asked whether it was solved"),
    "supervised": gettext_lazy("reopened under supervision"),
    "returned": gettext_lazy("returned by a unit at least once"),
    "extensions": gettext_lazy("granted an extension"),
    "suspensions": gettext_lazy("granted a suspension"),
    "closed": gettext_lazy("closed"),
    "rectification_opened": gettext_lazy("rectification items opened in the period"),
    "rectification_done": gettext_lazy("of those, reported done"),
    "rectification_verified": gettext_lazy("of those, verified by the office"),
    "rectification_overdue": gettext_lazy("of those, open past their deadline"),
    "knowledge_entries_added": gettext_lazy("knowledge entries written in the period"),
    "fast_channel": gettext_lazy("appeals on the fast channel (elderly, disabled people)"),
    "evaluations": gettext_lazy("service evaluations in the period (appeals upheld left out)"),
    "bad_reviews": gettext_lazy("of those, dissatisfied or very dissatisfied"),
    "bad_reviews_closed": gettext_lazy("of those, verified, answered and closed"),
    "remote_sessions": gettext_lazy("remote window sessions at the service points"),
    "door_to_door_requests": gettext_lazy("door-to-door requests registered"),
    "door_to_door_done": gettext_lazy("of those, followed until the approval was decided"),
}
RATE_WORDS = {
    "on_time_rate": gettext_lazy("on-time reply rate"),
    "on_the_spot_rate": gettext_lazy("on-the-spot rate"),
    "response_rate": gettext_lazy("response rate"),
    "resolution_rate": gettext_lazy("resolution rate"),
    "satisfaction_rate": gettext_lazy("satisfaction rate"),
    "return_visit_coverage": gettext_lazy("return-visit coverage"),
}


def percent(rate: float | None) -> str:
    """A rate as people read it: "83.3%", or "—" where nothing was there to count."""
    return "—" if rate is None else f"{rate:.1%}"


def rate_words(key: str) -> str:
    return str(RATE_WORDS.get(key, key))


def rate_definition(key: str) -> str:
    rate = next(rate for rate in definitions().rates if rate.key == key)
    return _("%(numerator)s ÷ %(denominator)s") % {
        "numerator": COUNT_WORDS[rate.numerator],
        "denominator": COUNT_WORDS[rate.denominator],
    }


def as_json(figures: Figures) -> dict[str, Any]:
    period, scope = figures.period, figures.scope
    days = figures.handling_days
    data: dict[str, Any] = {
        "kind": period.kind.value,
        "period": period.label,
        "first_day": period.first.isoformat(),
        "last_day": period.last.isoformat(),
        "unit": scope.unit.pk if scope.unit else None,
        "unit_name": scope.unit.name if scope.unit else None,
        "units_below": scope.below if scope.unit else None,
        "computed_at": figures.computed_at.isoformat(),
        **figures.counts,
        **figures.rates,
        "avg_handling_workdays": days.average,
        "avg_handling_workdays_assumed_years": list(days.assumed_years),
        "satisfaction_levels": {str(k): v for k, v in figures.satisfaction_levels.items()},
        "received_by_channel": figures.by_channel,
        "received_by_category": figures.by_category,
        "external": figures.external,
        "top_matters": [
            {"matter_id": int(m.key), "name": m.label, "count": m.count}
            for m in figures.top_matters
        ],
        "top_causes": [
            {"code": c.key, "label": c.label, "side": c.side, "count": c.count}
            for c in figures.top_causes
        ],
        "causes_by_side": figures.causes_by_side,
        "accountability": [
            {"unit_id": item.unit_id, "unit_name": item.unit_name, "reasons": list(item.reasons)}
            for item in figures.accountable
        ],
        "interviews": figures.interviews,
        "definitions": {
            "cohort": _(
                "Every count is of the appeals received in the period, whatever happened to "
                "them later, as computed at computed_at."
            ),
            "satisfied_levels": list(definitions().satisfied_levels),
            "counts": {key: str(COUNT_WORDS[key]) for key in COUNTS},
            "rates": {
                rate.key: {
                    "numerator": rate.numerator,
                    "denominator": rate.denominator,
                    "text": rate_definition(rate.key),
                }
                for rate in definitions().rates
            },
        },
    }
    return data


def labels() -> dict[str, dict[str, str]]:
    """Words for the breakdowns' keys, in the reader's language."""
    return {
        "channel": {c.value: str(c.label) for c in Channel},
        "category": {c.value: str(c.label) for c in Category},
        "side": {c.value: str(c.label) for c in CauseSide},
        "level": {str(c.value): str(c.label) for c in Satisfaction},
    }

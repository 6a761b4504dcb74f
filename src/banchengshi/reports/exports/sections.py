"""A report laid out as an official document: numbered sections, each with its sentences,
tables and charts; the PDF and the Word writers both render this one outline."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from banchengshi.reports.document import (
    COUNT_WORDS,
    labels,
    percent,
    rate_definition,
    rate_words,
)
from banchengshi.reports.metrics import COUNTS, Figures, definitions


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Chart:
    title: str
    rows: list[tuple[str, int]]


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


def _count_rows(figures: Figures, keys: tuple[str, ...]) -> list[list[str]]:
    return [[str(COUNT_WORDS[key]), str(figures.counts[key])] for key in keys]


def outline(figures: Figures) -> list[Section]:
    counts, words = figures.counts, labels()
    days = figures.handling_days.average
    overview = Section(
        _("Overview"),
        paragraphs=[
            _(
                "In the period %(first)s to %(last)s, %(received)d appeals were received, "
                "%(accepted)d accepted and %(not_admissible)d found inadmissible; "
                "%(replied)d were replied to, %(on_time)d of them on time; %(overdue)d are "
                "overdue."
            )
            % {
                "first": figures.period.first.isoformat(),
                "last": figures.period.last.isoformat(),
                "received": counts["received"],
                "accepted": counts["accepted"],
                "not_admissible": counts["not_admissible"],
                "replied": counts["replied"],
                "on_time": counts["replied_on_time"],
                "overdue": counts["overdue"],
            },
            _("Average handling time: %(days)s working days.")
            % {"days": "—" if days is None else f"{days:.2f}"},
        ],
        tables=[
            Table(
                [_("figure"), _("value")],
                _count_rows(
                    figures,
                    ("received", "accepted", "not_admissible", "on_the_spot", "replied"),
                )
                + _count_rows(figures, ("replied_on_time", "overdue", "supervised", "returned")),
            )
        ],
    )
    rates = Section(
        _("Rates"),
        paragraphs=[
            _("Satisfied levels: %(levels)s.")
            % {
                "levels": "、".join(
                    words["level"][str(level)] for level in definitions().satisfied_levels
                )
            }
        ],
        tables=[
            Table(
                [_("figure"), _("value"), _("definition")],
                [
                    [rate_words(r.key), percent(figures.rates[r.key]), rate_definition(r.key)]
                    for r in definitions().rates
                ],
            )
        ],
    )
    channels = Section(
        _("Channels and categories"),
        charts=[
            Chart(
                _("Channels"),
                [(words["channel"][k], v) for k, v in figures.by_channel.items() if v],
            ),
            Chart(
                _("Categories"),
                [(words["category"][k], v) for k, v in figures.by_category.items()],
            ),
            Chart(
                _("Satisfaction"),
                [(words["level"][str(k)], v) for k, v in figures.satisfaction_levels.items()],
            ),
        ],
        paragraphs=[
            _(
                "12345 work orders: %(hotline)s; review platform records: %(review)s; the "
                "window's own channels: %(own)s."
            )
            % {
                "hotline": figures.external["hotline_12345"],
                "review": figures.external["review_platform"],
                "own": figures.external["own_channels"],
            }
        ],
    )
    problems = Section(
        _("Matters and causes"),
        tables=[
            Table(
                [_("matter"), _("cases")],
                [[m.label, str(m.count)] for m in figures.top_matters],
            ),
            Table(
                [_("cause"), _("side"), _("cases")],
                [
                    [c.label, words["side"].get(c.side, c.side), str(c.count)]
                    for c in figures.top_causes
                ],
            ),
        ],
        charts=[Chart(_("Top matters"), [(m.label, m.count) for m in figures.top_matters])],
    )
    learning = Section(
        _("Rectification and the case library"),
        tables=[
            Table(
                [_("figure"), _("value")],
                _count_rows(
                    figures,
                    (
                        "rectification_opened",
                        "rectification_done",
                        "rectification_verified",
                        "rectification_overdue",
                        "knowledge_entries_added",
                    ),
                ),
            )
        ],
    )
    services = Section(
        _("Evaluations and neighbourhood services"),
        tables=[
            Table(
                [_("figure"), _("value")],
                _count_rows(
                    figures,
                    (
                        "evaluations",
                        "bad_reviews",
                        "bad_reviews_closed",
                        "remote_sessions",
                        "door_to_door_requests",
                        "door_to_door_done",
                        "fast_channel",
                    ),
                ),
            )
        ],
    )
    accountability = Section(
        _("Accountability list"),
        paragraphs=[
            _("Units listed: %(units)d; interviews recorded for the period: %(interviews)d.")
            % {"units": len(figures.accountable), "interviews": figures.interviews}
        ],
        tables=[
            Table(
                [_("Unit"), _("reasons")],
                [[item.unit_name, "；".join(item.reasons)] for item in figures.accountable],
            )
        ],
    )
    everything = Section(
        _("All counts"),
        tables=[Table([_("figure"), _("value")], _count_rows(figures, COUNTS))],
    )
    parts = [overview, rates, channels, problems, learning, services]
    if figures.scope.unit is None:
        parts.append(accountability)
    return [*parts, everything]

"""What a report covers: the whole district, or a unit with or without the units below it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from banchengshi.org.models import Unit


@dataclass(frozen=True)
class ReportScope:
    """The whole district (no unit), or the cases a unit is responsible for or handles, with
    or without the units below it."""

    unit: Unit | None = None
    below: bool = True

    def unit_ids(self) -> QuerySet[Unit, int] | list[int] | None:
        if self.unit is None:
            return None
        if not self.below:
            return [self.unit.pk]
        return Unit.objects.filter(path__startswith=self.unit.path).values_list("pk", flat=True)

    @property
    def key(self) -> str:
        if self.unit is None:
            return "district"
        return f"unit-{self.unit.pk}" + ("" if self.below else "-only")

    @property
    def shape(self) -> tuple[int, str, bool] | None:
        """What the scope's condition depends on, besides the instants (compiled.rows)."""
        return None if self.unit is None else (self.unit.pk, self.unit.path, self.below)

"""A search's results as a list to page through: `Listed` pages like a queryset (a Paginator
takes it), and where the search knows the order already, a page reads only its own rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar, overload

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)
# What a list counts up to; beyond, it says "at least" (cases.selectors.COUNT_CAP).
CAP = 10_000


@dataclass(frozen=True)
class Listed(Generic[M]):
    """The rows of `queryset` in the order shown. `order`: their keys in that order when the
    search knows it already (it read its newest matches from the index, with their ranks), so
    that a page reads its own rows by their keys and the count is the number of keys, whatever
    the size of the table; else the queryset's own order, its count stopping at `cap`."""

    queryset: QuerySet[M]
    order: tuple[int, ...] | None = None
    cap: int = CAP

    @overload
    def __getitem__(self, rows: int) -> M: ...

    @overload
    def __getitem__(self, rows: slice) -> list[M]: ...

    def __getitem__(self, rows: int | slice) -> M | list[M]:
        if isinstance(rows, int):
            return self[rows : rows + 1 or None][0]
        if self.order is None:
            return list(self.queryset[rows])
        keys = self.order[rows]
        by_key = self.queryset.in_bulk(keys)
        return [by_key[key] for key in keys if key in by_key]

    def count(self) -> int:
        if self.order is None:
            return int(self.queryset.order_by().values("pk")[: self.cap].count())
        return min(len(self.order), self.cap)

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[M]:
        return iter(self[:])

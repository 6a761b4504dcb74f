"""The checks of what people type about a point, shared by its actions: text without control
characters (PostgreSQL cannot store NUL), coordinates in range, days not in the future."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from banchengshi.catalog.models import Matter
from banchengshi.errors import InvalidInput
from banchengshi.ids import MAX_ID
from banchengshi.neighborhood.points.models import PointKind
from banchengshi.workdays.calendar import local_date

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_MATTERS = 200


def clean_text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if CONTROL_CHARACTERS.search(value):
        raise InvalidInput(
            {field: [_("Remove the invisible control character (such as NUL) from this text.")]}
        )
    if required and not value:
        raise InvalidInput({field: [_("This field is required.")]})
    if len(value) > limit:
        raise InvalidInput(
            {field: [_("The text is too long (at most %(limit)d characters).") % {"limit": limit}]}
        )
    return value


def clean_coordinate(
    value: Decimal | float | str | None, *, field: str, bound: int
) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or not -bound <= number <= bound:
        raise InvalidInput(
            {field: [_("Give a number from -%(bound)d to %(bound)d.") % {"bound": bound}]}
        )
    return number


def past_day(value: dt.date, *, field: str) -> dt.date:
    if value > local_date(timezone.now()):
        raise InvalidInput({field: [_("This day has not come yet.")]})
    return value


@dataclass(frozen=True)
class PointDetails:
    """What creating or changing a point sets."""

    name: str
    kind: PointKind
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    opening_hours: str
    matter_ids: tuple[int, ...]


def clean_details(
    *,
    name: str,
    kind: str,
    address: str,
    latitude: Decimal | float | str | None,
    longitude: Decimal | float | str | None,
    opening_hours: str,
    matter_ids: list[int] | tuple[int, ...],
) -> PointDetails:
    if kind not in PointKind.values:
        raise InvalidInput({"kind": [_("Choose one of the kinds offered.")]})
    lat = clean_coordinate(latitude, field="latitude", bound=90)
    lon = clean_coordinate(longitude, field="longitude", bound=180)
    if (lat is None) != (lon is None):
        raise InvalidInput(
            {"latitude": [_("Give both the latitude and the longitude, or neither.")]}
        )
    ids = tuple(sorted({pk for pk in matter_ids if isinstance(pk, int) and 1 <= pk <= MAX_ID}))
    if len(ids) != len(set(matter_ids)) or len(ids) > MAX_MATTERS:
        raise InvalidInput({"matter_ids": [_("Choose matters from the catalogue.")]})
    if ids and Matter.objects.filter(pk__in=ids, is_active=True).count() != len(ids):
        raise InvalidInput({"matter_ids": [_("Choose matters from the catalogue.")]})
    return PointDetails(
        name=clean_text(name, field="name", limit=100),
        kind=PointKind(kind),
        address=clean_text(address, field="address", limit=200),
        latitude=lat,
        longitude=lon,
        opening_hours=clean_text(opening_hours, field="opening_hours", limit=200, required=False),
        matter_ids=ids,
    )

"""The pieces every API schema is made of. Outputs read the rows' attributes by field name
(pydantic's from_attributes): a schema that only shows stored fields lists them and nothing
more; a field shown differently than stored says so in its type (LocalTime, PersonName)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import P, PathEx
from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field

from banchengshi.ids import MAX_ID
from banchengshi.org.names import full_name

# --- input types ------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError(_("Null characters are not allowed."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Enter a valid value.")) from None
    return value


def _plausible_instant(value: dt.datetime) -> dt.datetime:
    if not 1900 <= value.year <= 2999:
        raise ValueError(_("Enter a valid date/time."))
    return value


def _plausible_date(value: dt.date) -> dt.date:
    if not 1900 <= value.year <= 2999:
        raise ValueError(_("Enter a valid date."))
    return value


SafeStr = Annotated[str, AfterValidator(clean_text)]
# For query parameters (Django has decoded them already, so no lone surrogates are left).
NO_NUL = r"^[^\x00]*$"
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Version = Annotated[int, Field(ge=1, le=2**31 - 1)]
Days = Annotated[int, Field(ge=1, le=30, description="working days")]
Instant = Annotated[AwareDatetime, AfterValidator(_plausible_instant)]
Day = Annotated[dt.date, AfterValidator(_plausible_date)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Versioned(In):
    version: Version | None = Field(
        None, description="the case's version you last saw; a case changed since is refused (409)"
    )


# --- output types -----------------------------------------------------------------------------


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def _label(user: User | str | None) -> str:
    """Names as everywhere else: surname first for a Chinese name (org.names); "" for nobody."""
    if isinstance(user, str):
        return user
    return full_name(user) if user is not None else ""


# An instant stored in UTC, shown in Asia/Shanghai (ISO 8601 with +08:00).
LocalTime = Annotated[dt.datetime, AfterValidator(_local)]
# A person (a User row) shown by name; empty when nobody is set.
PersonName = Annotated[str, BeforeValidator(_label)]


# An output read from an object's attributes, field by field. Output schemas carry no
# docstring: pydantic would publish it as the schema's description in the OpenAPI document.
class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Overlay:
    """An object's attributes, some of them given instead: the source of an output whose
    fields mostly come from one row and a few from elsewhere (masked data, related lists)."""

    def __init__(self, obj: object, **values: Any) -> None:
        self._obj = obj
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._obj, name)


class ErrorOut(BaseModel):
    code: str = Field(
        description="stable: unauthenticated, csrf_failed, forbidden, not_found, invalid, "
        "bad_request, invalid_state, conflict, idempotency_conflict, duplicate, server_error"
    )
    message: str
    field: str | None = None
    errors: dict[str, list[str]] | None = Field(None, description="for code 'invalid' only")


ERRORS: dict[Any, type[ErrorOut]] = {
    frozenset({400, 401, 403, 404, 409, 422}): ErrorOut,
}

# The number of a record in a path (case, task, notice, entry, …): a bigger one is a 422, never
# an overflow in the database.
RecordId = PathEx[int, P(ge=1, le=MAX_ID)]

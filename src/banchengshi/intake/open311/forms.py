"""Reading Open311 parameters; every problem becomes one of the specification's errors.

Optional parameters follow the spec: "the response should be the same whether a parameter is
passed and is empty or is not passed at all"."""

from __future__ import annotations

import datetime as dt
import math
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.http import QueryDict
from django.utils.translation import gettext as _

from banchengshi.cases.models import Case
from banchengshi.intake.actions import Open311Submission
from banchengshi.intake.open311.attributes import BY_CODE
from banchengshi.intake.open311.service_requests import MAX_SPAN, STATUSES, RequestQuery
from banchengshi.org.names import written_name

MAX_BODY = 64 * 1024  # 4,000 Chinese characters percent-encoded are 36 KB
MAX_QUERY = 4096
MAX_LIST = 100
MAX_DESCRIPTION = 4000  # the spec's limit
ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]{1,64})\](\[\])?$")
# Parameter → the longest value taken (characters).
TEXT_LIMITS = {
    "first_name": 50,
    "last_name": 50,
    "phone": 40,
    "email": 254,
    "device_id": 64,
    "account_id": 64,
    "address_string": 250,
    "address_id": 64,
    "media_url": 500,
    "description": MAX_DESCRIPTION,
}
TRACKING_NO_LIMIT = Case._meta.get_field("tracking_no").max_length or 24


class Open311Error(Exception):
    """The answer is a list of (code, description) with one HTTP status."""

    def __init__(self, status: int, problems: list[tuple[int, str]]) -> None:
        super().__init__(problems)
        self.status = status
        self.problems = problems


def bad_request(description: str) -> Open311Error:
    return Open311Error(400, [(400, description)])


def jurisdiction() -> str:
    """The jurisdiction this endpoint serves (setting BANCHENGSHI_OPEN311_JURISDICTION, e.g.
    "putuo.gov.cn"); empty: jurisdiction_id is ignored, as the spec allows an endpoint that
    serves one jurisdiction."""
    return str(getattr(settings, "BANCHENGSHI_OPEN311_JURISDICTION", ""))


def check_jurisdiction(value: str) -> None:
    ours = jurisdiction()
    if value and ours and value != ours:
        raise Open311Error(
            404,
            [
                (
                    404,
                    _("jurisdiction_id “%(value)s” was not found; this endpoint serves “%(ours)s”.")
                    % {"value": value[:100], "ours": ours},
                )
            ],
        )


def comma_list(params: QueryDict, name: str) -> tuple[str, ...]:
    """A parameter that may be comma-delimited and declared several times."""
    items = [
        item.strip() for value in params.getlist(name) for item in value.split(",") if item.strip()
    ]
    if len(items) > MAX_LIST:
        raise bad_request(
            _("At most %(count)d values may be given for %(name)s.")
            % {"count": MAX_LIST, "name": name}
        )
    if any(len(item) > 64 for item in items):
        raise bad_request(_("A value of %(name)s is too long.") % {"name": name})
    return tuple(dict.fromkeys(items))


def _instant(params: QueryDict, name: str) -> dt.datetime | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None or not 1900 <= moment.year <= 2999:
        raise bad_request(
            _(
                "%(name)s must be a W3C date and time with its time zone, "
                "such as 2026-11-20T09:30:00+08:00."
            )
            % {"name": name}
        )
    return moment


def request_query(params: QueryDict, now: dt.datetime) -> RequestQuery:
    ids = comma_list(params, "service_request_id")
    if ids:
        return RequestQuery(ids=ids)
    start, end = _instant(params, "start_date"), _instant(params, "end_date")
    if start is not None and end is not None:
        if end < start:
            raise bad_request(_("end_date is before start_date."))
        if end - start > MAX_SPAN:
            raise bad_request(_("start_date and end_date may not span more than 90 days."))
    elif start is not None:
        end = start + MAX_SPAN
    elif end is not None:
        start = end - MAX_SPAN
    else:
        start, end = now - MAX_SPAN, now
    statuses = comma_list(params, "status")
    unknown = [status for status in statuses if status not in STATUSES]
    if unknown:
        raise bad_request(
            _("status may be open or closed, not “%(value)s”.") % {"value": unknown[0]}
        )
    return RequestQuery(
        service_codes=comma_list(params, "service_code"),
        start=start,
        end=end,
        statuses=statuses,
    )


def _texts(post: QueryDict, problems: list[tuple[int, str]]) -> dict[str, str]:
    texts: dict[str, str] = {}
    for name, limit in TEXT_LIMITS.items():
        value = post.get(name, "").strip()
        if "\x00" in value:
            problems.append((400, _("%(name)s: null characters are not allowed.") % {"name": name}))
            value = ""
        elif len(value) > limit:
            problems.append(
                (
                    400,
                    _("%(name)s is too long (at most %(limit)d characters).")
                    % {"name": name, "limit": limit},
                )
            )
            value = ""
        texts[name] = value
    if texts["email"]:
        try:
            EmailValidator()(texts["email"])
        except ValidationError:
            problems.append((400, _("email: enter a valid e-mail address.")))
    if texts["media_url"]:
        try:
            URLValidator(schemes=["http", "https"])(texts["media_url"])
        except ValidationError:
            problems.append((400, _("media_url: enter a valid http or https address.")))
    return texts


def _coordinate(
    post: QueryDict, name: str, bound: float, problems: list[tuple[int, str]]
) -> float | None:
    text = post.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not -bound <= value <= bound:
        problems.append(
            (
                400,
                _("%(name)s must be a number from -%(bound)d to %(bound)d (WGS84).")
                % {"name": name, "bound": bound},
            )
        )
        return None
    return value


def _attributes(post: QueryDict, problems: list[tuple[int, str]]) -> dict[str, str | int]:
    found: dict[str, str | int] = {}
    for key in post:
        if not key.startswith("attribute"):
            continue
        match = ATTRIBUTE_KEY.match(key)
        attribute = BY_CODE.get(match.group(1)) if match else None
        if match is None or attribute is None:
            problems.append(
                (400, _("%(key)s is not an attribute of this service.") % {"key": key[:80]})
            )
            continue
        values = post.getlist(key)
        if match.group(2) or len(values) > 1:
            problems.append(
                (400, _("attribute[%(code)s] takes one value.") % {"code": attribute.code})
            )
            continue
        value = values[0].strip()
        if not value:
            continue
        if "\x00" in value or len(value) > attribute.max_length:
            problems.append(
                (
                    400,
                    _("attribute[%(code)s] is too long (at most %(limit)d characters).")
                    % {"code": attribute.code, "limit": attribute.max_length},
                )
            )
        elif attribute.choices and value not in dict(attribute.choices):
            problems.append(
                (
                    400,
                    _("attribute[%(code)s] must be one of: %(keys)s.")
                    % {"code": attribute.code, "keys": ", ".join(dict(attribute.choices))},
                )
            )
        elif attribute.datatype == "number":
            if not (value.isascii() and value.isdigit() and len(value) <= 2):
                problems.append(
                    (
                        400,
                        _("attribute[%(code)s]: %(rule)s")
                        % {"code": attribute.code, "rule": attribute.datatype_description},
                    )
                )
            else:
                found[attribute.code] = int(value)
        else:
            found[attribute.code] = value
    return found


def submission(post: QueryDict, matter_id: int) -> Open311Submission:
    problems: list[tuple[int, str]] = []
    texts = _texts(post, problems)
    lat = _coordinate(post, "lat", 90, problems)
    long = _coordinate(post, "long", 180, problems)
    if (lat is None) != (long is None):
        problems.append((400, _("lat and long must be sent together.")))
    elif lat is None and not texts["address_string"] and not texts["address_id"]:
        problems.append(
            (400, _("A location is required: lat and long, address_string or address_id."))
        )
    attributes = _attributes(post, problems)
    if problems:
        raise Open311Error(400, problems)
    return Open311Submission(
        matter_id=matter_id,
        petitioner_name=written_name(texts["first_name"], texts["last_name"]),
        phone=texts["phone"],
        description=texts["description"],
        attributes=attributes,
        lat=lat,
        long=long,
        address=texts["address_string"],
        address_id=texts["address_id"],
        email=texts["email"],
        device_id=texts["device_id"],
        account_id=texts["account_id"],
        media_url=texts["media_url"],
    )

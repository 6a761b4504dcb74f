"""The demo district: Putuo's units (seed 000 §3, "responsible units"), the people holding
every role of seed 001 §五(二), and the catalogue of service matters.

`ensure_district()` creates what is missing and returns a `District`, a read-only view of
the units, people and matters that the case generator draws from; run twice, it creates
nothing the second time.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from banchengshi.catalog.models import Matter
from banchengshi.demo.catalogue import MATTERS, MatterSpec
from banchengshi.demo.people import person_name
from banchengshi.org.actions import do_create_unit, do_grant_role
from banchengshi.org.models import Membership, Role, Unit, UnitKind

DEMO_PASSWORD = "banchengshi-demo"
CODE_PREFIX = "PT-"
URL = "http://127.0.0.1:8000"

# Streets and towns of Putuo: key, name. Their community-affairs acceptance centers (社区事务受理
# 服务中心) are the window network; five of them also have a market-supervision office.
STREETS = (
    ("CSL", "长寿路街道"),
    ("CYXC", "曹杨新村街道"),
    ("CFXC", "长风新村街道"),
    ("YCL", "宜川路街道"),
    ("GQL", "甘泉路街道"),
    ("SQL", "石泉路街道"),
    ("WL", "万里街道"),
    ("ZRZ", "真如镇街道"),
    ("CZZ", "长征镇"),
    ("TPZ", "桃浦镇"),
)
MARKET_OFFICES = (
    ("CSL", "长寿路市场监督管理所"),
    ("CYXC", "曹杨市场监督管理所"),
    ("CFXC", "长风市场监督管理所"),
    ("ZRZ", "真如市场监督管理所"),
    ("TPZ", "桃浦市场监督管理所"),
)
SERVICE_POINTS = (
    ("CYXC", "SP-CY1", "曹杨一村居民区“家门口”服务站"),
    ("TPZ", "SP-TPXC", "桃浦新村居民区服务点"),
    ("WL", "SP-WLC", "万里城居民区服务点"),
)

NEIGHBORHOOD_STREETS = ("CYXC", "TPZ")

# Departments owning matters, each with the center it runs (seed 000 §3): key, name, username
# suffix, center key, center name.
DEPARTMENTS = (
    ("MSB", "区市场监管局", "msb", None, None),
    ("MIB", "区医疗保障局", "mib", "MIC", "区医保中心"),
    ("HRS", "区人社局", "hr", "EPC", "区就业促进中心"),
    ("VET", "区退役军人事务局", "vet", "VSC", "区退役军人服务中心"),
    ("CA", "区民政局", "ca", "MRC", "区婚姻登记中心"),
    ("PNR", "区规划资源局", "pnr", "NRC", "区自然资源确权登记事务中心"),
    ("HMB", "区房管局", "hmb", "REC", "区不动产交易中心"),
    ("JUS", "区司法局", "jus", "LAC", "区法律援助中心"),
    ("DPF", "区残联", "dpf", "DSC", "区残疾人综合服务中心"),
)


@dataclass(frozen=True)
class UnitSpec:
    key: str
    name: str
    kind: UnitKind
    parent: str | None = None

    @property
    def code(self) -> str:
        return CODE_PREFIX + self.key


def _unit_specs() -> list[UnitSpec]:
    specs = [
        UnitSpec("ZWB", "区政务服务办", UnitKind.OFFICE),
        UnitSpec("HUB", "区行政服务中心", UnitKind.HUB),
        UnitSpec("HALL", "区政务服务中心", UnitKind.CENTER),
    ]
    for key, name, _suffix, center, center_name in DEPARTMENTS:
        specs.append(UnitSpec(key, name, UnitKind.DEPARTMENT))
        if center and center_name:
            specs.append(UnitSpec(center, center_name, UnitKind.CENTER, key))
    for street, name in MARKET_OFFICES:
        specs.append(UnitSpec(f"MSO-{street}", name, UnitKind.CENTER, "MSB"))
    for street, name in STREETS:
        specs.append(UnitSpec(f"SQ-{street}", f"{name}社区事务受理服务中心", UnitKind.CENTER))
    for street, key, name in SERVICE_POINTS:
        specs.append(UnitSpec(key, name, UnitKind.SERVICE_POINT, f"SQ-{street}"))
    specs.append(UnitSpec("JWJW", "区纪委监委", UnitKind.INSPECTORATE))
    return specs


UNITS = _unit_specs()


@dataclass(frozen=True)
class UserSpec:
    username: str
    grants: tuple[tuple[str, Role], ...]
    superuser: bool = False


def _user_specs() -> list[UserSpec]:
    specs = [
        UserSpec("admin", (("ZWB", Role.SYSADMIN),), superuser=True),
        UserSpec("officeadmin", (("ZWB", Role.OFFICE_ADMIN),)),
        UserSpec("dispatcher", (("HUB", Role.DISPATCHER),)),
        UserSpec("inspector", (("JWJW", Role.INSPECTOR),)),
        UserSpec("clerk", (("HALL", Role.WINDOW_CLERK),)),
        UserSpec("windowhead", (("HALL", Role.WINDOW_HEAD),)),
        UserSpec("handler_hall", (("HALL", Role.UNIT_HANDLER),)),
    ]
    for key, _name, suffix, center, _center_name in DEPARTMENTS:
        specs.append(UserSpec(f"handler_{suffix}", ((key, Role.UNIT_HANDLER),)))
        specs.append(UserSpec(f"leader_{suffix}", ((key, Role.UNIT_LEADER),)))
        if center:
            specs.append(UserSpec(f"handler_{center.lower()}", ((center, Role.UNIT_HANDLER),)))
    for street, _name in MARKET_OFFICES:
        specs.append(
            UserSpec(f"handler_mso_{street.lower()}", ((f"MSO-{street}", Role.UNIT_HANDLER),))
        )
    # A community center's window clerk also handles what the center keeps (001 §四(一)).
    for street, _name in STREETS:
        unit = f"SQ-{street}"
        specs.append(
            UserSpec(
                f"clerk_{street.lower()}", ((unit, Role.WINDOW_CLERK), (unit, Role.UNIT_HANDLER))
            )
        )
    # Neighbourhood staff of two streets: they inspect their street's service points.
    for street in NEIGHBORHOOD_STREETS:
        specs.append(
            UserSpec(f"neighborhood_{street.lower()}", ((f"SQ-{street}", Role.NEIGHBORHOOD_STAFF),))
        )
    return specs


USERS = _user_specs()

ROLE_LABELS = {
    Role.WINDOW_CLERK: "窗口办理专员",
    Role.WINDOW_HEAD: "窗口负责人",
    Role.UNIT_HANDLER: "处置专员",
    Role.UNIT_LEADER: "分管领导",
    Role.DISPATCHER: "派单员",
    Role.OFFICE_ADMIN: "政务服务办管理员",
    Role.INSPECTOR: "纪检监察（只读）",
    Role.NEIGHBORHOOD_STAFF: "家门口服务人员",
    Role.SYSADMIN: "系统管理员",
}


@dataclass(frozen=True)
class MatterInfo:
    id: int
    code: str
    name: str
    domain: str
    owner_id: int | None
    center_ids: tuple[int, ...]


@dataclass
class District:
    """What the case generator needs: units by key, the people acting for each unit."""

    units: dict[str, Unit]
    users: dict[str, User]
    matters: list[MatterInfo]
    handler_for: dict[int, User] = field(default_factory=dict)
    leader_for: dict[int, User] = field(default_factory=dict)
    clerk_for: dict[int, User] = field(default_factory=dict)
    children: dict[int, list[Unit]] = field(default_factory=dict)
    created: bool = False
    by_id: dict[int, Unit] = field(init=False)

    def __post_init__(self) -> None:
        self.by_id = {unit.pk: unit for unit in self.units.values()}

    @property
    def hub(self) -> Unit:
        return self.units["HUB"]

    @property
    def hall(self) -> Unit:
        return self.units["HALL"]

    @property
    def dispatcher(self) -> User:
        return self.users["dispatcher"]

    @property
    def officeadmin(self) -> User:
        return self.users["officeadmin"]

    @property
    def departments(self) -> list[Unit]:
        return [self.units[key] for key, *_ in DEPARTMENTS]

    @property
    def community_centers(self) -> list[Unit]:
        return [self.units[f"SQ-{street}"] for street, _ in STREETS]


def district_exists() -> bool:
    return Unit.objects.filter(code=CODE_PREFIX + "HUB").exists()


def ensure_district(seed: int = 2023, *, password: str = DEMO_PASSWORD) -> District:
    """Create the units, people (with `password`) and matters that are missing; return the
    whole district."""
    created = False
    with transaction.atomic():
        existing = {u.code: u for u in Unit.objects.filter(code__startswith=CODE_PREFIX)}
        units: dict[str, Unit] = {}
        for spec in UNITS:
            unit = existing.get(spec.code)
            if unit is None:
                parent = units[spec.parent] if spec.parent else None
                unit = do_create_unit(spec.code, spec.name, spec.kind, parent)
                created = True
            units[spec.key] = unit
        created |= _ensure_users(units, seed, password)
        created |= _ensure_matters(units)
    district = load_district(units)
    district.created = created
    return district


def set_password(password: str) -> None:
    """Give every demo person this password (one hash: hashing is deliberately slow)."""
    User.objects.filter(username__in=[spec.username for spec in USERS]).update(
        password=make_password(password)
    )


def _ensure_users(units: dict[str, Unit], seed: int, raw_password: str) -> bool:
    rng = random.Random(f"demo-staff-{seed}")
    existing = set(
        User.objects.filter(username__in=[s.username for s in USERS]).values_list(
            "username", flat=True
        )
    )
    missing = [spec for spec in USERS if spec.username not in existing]
    if not missing:
        return False
    # One hash for everyone: the demo password is the same, and hashing is deliberately slow.
    password = make_password(raw_password)
    for spec in USERS:
        surname, given = person_name(rng)
        if spec.username in existing:
            continue
        user = User.objects.create(
            username=spec.username,
            password=password,
            first_name=given,
            last_name=surname,
            email=f"{spec.username}@putuo.example",
            is_staff=spec.superuser,
            is_superuser=spec.superuser,
        )
        for unit_key, role in spec.grants:
            do_grant_role(user, units[unit_key], role)
    return True


def _center_keys(spec: MatterSpec) -> list[str]:
    keys: list[str] = []
    for key in spec.centers:
        if key == "SQ":
            keys += [f"SQ-{street}" for street, _ in STREETS]
        elif key == "MSO":
            keys += [f"MSO-{street}" for street, _ in MARKET_OFFICES]
        else:
            keys.append(key)
    return keys


def _ensure_matters(units: dict[str, Unit]) -> bool:
    existing = set(
        Matter.objects.filter(code__in=[m.code for m in MATTERS]).values_list("code", flat=True)
    )
    missing = [spec for spec in MATTERS if spec.code not in existing]
    if not missing:
        return False
    rows = Matter.objects.bulk_create(
        [
            Matter(
                code=spec.code,
                name=spec.name,
                owning_department=units[spec.owner] if spec.owner else None,
                legal_limit_days=spec.limit,
                materials=spec.materials,
                fees=spec.fees,
                online="O" in spec.flags,
                whole_city="W" in spec.flags,
                door_to_door="D" in spec.flags,
                remote="R" in spec.flags,
            )
            for spec in missing
        ]
    )
    through = Matter.handling_centers.through
    links = []
    for spec, matter in zip(missing, rows, strict=True):
        for key in _center_keys(spec):
            links.append(through(matter_id=matter.pk, unit_id=units[key].pk))
    through.objects.bulk_create(links)
    return True


def load_district(units: dict[str, Unit] | None = None) -> District:
    if units is None:
        by_code = {u.code: u for u in Unit.objects.filter(code__startswith=CODE_PREFIX)}
        units = {spec.key: by_code[spec.code] for spec in UNITS}
    usernames = [spec.username for spec in USERS]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    unit_ids = {unit.pk for unit in units.values()}
    handler_for: dict[int, User] = {}
    leader_for: dict[int, User] = {}
    clerk_for: dict[int, User] = {}
    memberships = Membership.objects.filter(user__username__in=usernames, unit_id__in=unit_ids)
    by_pk = {user.pk: user for user in users.values()}
    for user_id, unit_id, role in memberships.order_by("id").values_list(
        "user_id", "unit_id", "role"
    ):
        user = by_pk[user_id]
        target = {
            Role.UNIT_HANDLER: handler_for,
            Role.UNIT_LEADER: leader_for,
            Role.WINDOW_CLERK: clerk_for,
        }.get(Role(role))
        if target is not None:
            target.setdefault(unit_id, user)
    children: dict[int, list[Unit]] = defaultdict(list)
    for unit in units.values():
        if unit.parent_id and unit.kind == UnitKind.CENTER:
            children[unit.parent_id].append(unit)
    codes = [spec.code for spec in MATTERS]
    centers: dict[int, list[int]] = defaultdict(list)
    through = Matter.handling_centers.through
    for matter_id, unit_id in through.objects.filter(matter__code__in=codes).values_list(
        "matter_id", "unit_id"
    ):
        centers[matter_id].append(unit_id)
    matters = [
        MatterInfo(
            id=m.pk,
            code=m.code,
            name=m.name,
            domain=m.code.split("-")[1],
            owner_id=m.owning_department_id,
            center_ids=tuple(sorted(centers[m.pk])),
        )
        for m in Matter.objects.filter(code__in=codes).order_by("code")
    ]
    return District(
        units=units,
        users=users,
        matters=matters,
        handler_for=handler_for,
        leader_for=leader_for,
        clerk_for=clerk_for,
        children=dict(children),
    )


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, name, roles, unit) of every demo person, in the order of USERS; a person
    holding several roles in one unit is one row."""
    order = {spec.username: i for i, spec in enumerate(USERS)}
    rows = (
        Membership.objects.filter(user__username__in=order)
        .select_related("user", "unit")
        .order_by("id")
    )
    grouped: dict[tuple[int, int], list[Membership]] = defaultdict(list)
    for membership in rows:
        grouped[(order[membership.user.username], membership.unit_id)].append(membership)
    return [
        (
            found[0].user.username,
            found[0].user.last_name + found[0].user.first_name,
            " + ".join(ROLE_LABELS[Role(m.role)] for m in found),
            found[0].unit.name,
        )
        for _key, found in sorted(grouped.items(), key=lambda item: item[0])
    ]

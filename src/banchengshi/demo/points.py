"""The demo district's service points (R-NB-1): the three service-point units of the
district get their rows, twelve more are created under their streets' acceptance centers
through the same actions the pages use, with devices, the matters their center handles,
inspections (one fault repaired, one still open), one point planned and one closed with its
reason. Deterministic: the same points, devices and days (counted back from today) on every
run; a district that has them is left alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from banchengshi.catalog.models import Matter
from banchengshi.demo.district import CODE_PREFIX, SERVICE_POINTS, District
from banchengshi.neighborhood.points.actions import (
    do_add_equipment,
    do_change_status,
    do_create_point,
)
from banchengshi.neighborhood.points.checks import PointDetails
from banchengshi.neighborhood.points.inspections import (
    Finding,
    do_record_inspection,
    do_record_repair,
)
from banchengshi.neighborhood.points.models import (
    EquipmentKind,
    Fault,
    PointKind,
    PointStatus,
    ServicePoint,
)
from banchengshi.workdays.calendar import local_date

HOURS = "周一至周五 9:00-11:30，13:30-17:00"
MATTERS_PER_POINT = 4
DEVICES = (EquipmentKind.DUAL_SCREEN, EquipmentKind.PRINTER, EquipmentKind.ID_READER)


@dataclass(frozen=True)
class PointSpec:
    street: str
    key: str
    name: str
    kind: PointKind
    address: str
    latitude: str | None
    longitude: str | None
    status: PointStatus = PointStatus.OPEN
    hours: str = HOURS


R, P, B, C = (
    PointKind.RESIDENTS_COMMITTEE,
    PointKind.PARK,
    PointKind.BUILDING,
    PointKind.PARTY_MASS_CENTER,
)
# The three units of district.SERVICE_POINTS first (same keys), then the new ones.
POINTS = (
    PointSpec("CYXC", "SP-CY1", "", R, "曹杨一村兰溪路43号", "31.243210", "121.414530"),
    PointSpec("TPZ", "SP-TPXC", "", R, "桃浦新村临汾路58号", "31.280460", "121.379870"),
    PointSpec("WL", "SP-WLC", "", R, "万里城三街坊香泉路188号", "31.268930", "121.392150"),
    PointSpec(
        "CSL", "SP-CSL1", "长寿路街道武宁居民区服务点", R, "武宁路88弄", "31.242870", "121.431260"
    ),
    PointSpec(
        "CSL", "SP-CSL2", "梦清园服务点", P, "宜昌路130号梦清园内", "31.246520", "121.441030"
    ),
    PointSpec(
        "CYXC", "SP-CY2", "曹杨八村居民区服务点", R, "杏山路260弄", "31.238410", "121.405770"
    ),
    PointSpec(
        "CYXC", "SP-CY3", "曹杨社区党群服务中心服务点", C, "枣阳路222号", "31.236180", "121.411920"
    ),
    PointSpec(
        "CFXC",
        "SP-CF1",
        "长风公园服务点",
        P,
        "大渡河路189号长风公园南门",
        "31.226740",
        "121.398610",
    ),
    PointSpec(
        "CFXC",
        "SP-CF2",
        "长风商务区楼宇服务点",
        B,
        "云岭东路89号一楼",
        "31.223280",
        "121.390940",
        hours="周一至周五 8:30-18:00",
    ),
    PointSpec("YCL", "SP-YC1", "宜川一村居民区服务点", R, "宜川路150弄", "31.259440", "121.440210"),
    PointSpec("GQL", "SP-GQ1", "甘泉新村居民区服务点", R, "甘泉路270弄", "31.266510", "121.432790"),
    PointSpec(
        "SQL", "SP-SQ1", "石泉社区党群服务中心服务点", C, "石泉路455号", "31.255300", "121.426180"
    ),
    PointSpec(
        "ZRZ",
        "SP-ZR1",
        "真如境园区服务点",
        B,
        "真如镇路111号",
        "31.250330",
        "121.393970",
        status=PointStatus.CLOSED,
    ),
    PointSpec("CZZ", "SP-CZ1", "中环百联楼宇服务点", B, "真光路1288号", None, None),
    PointSpec(
        "TPZ",
        "SP-TP2",
        "桃浦智创城园区服务点",
        P,
        "真南路1000号",
        "31.286220",
        "121.372440",
        status=PointStatus.PLANNED,
    ),
)
CLOSED_REASON = "园区改造，服务点撤并至真如镇街道社区事务受理服务中心"


def ensure_points(district: District) -> bool:
    """Create the demo's points unless the district has them; True when it created them."""
    if ServicePoint.objects.filter(unit__code__startswith=CODE_PREFIX).exists():
        return False
    admin = district.officeadmin
    today = local_date(timezone.now())
    names = {key: name for _street, key, name in SERVICE_POINTS}
    with transaction.atomic():
        created = [_point(district, admin, spec, names.get(spec.key, "")) for spec in POINTS]
        for index, (spec, point) in enumerate(zip(POINTS, created, strict=True)):
            _equip(admin, spec, point)
            if spec.status == PointStatus.PLANNED:
                continue
            opened = today - dt.timedelta(days=180 - 5 * index)
            do_change_status(
                admin,
                point.pk,
                status=PointStatus.OPEN,
                effective_on=opened,
                reason="设备安装调试完成，正式开放",
            )
            _inspect(district, spec, point, today, index)
            if spec.status == PointStatus.CLOSED:
                do_change_status(
                    admin,
                    point.pk,
                    status=PointStatus.CLOSED,
                    effective_on=today - dt.timedelta(days=10),
                    reason=CLOSED_REASON,
                )
    return True


def _point(district: District, admin: User, spec: PointSpec, unit_name: str) -> ServicePoint:
    center = district.units[f"SQ-{spec.street}"]
    matters = list(
        Matter.objects.filter(handling_centers=center, whole_city=True, is_active=True)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    offset = sum(map(ord, spec.key)) % max(1, len(matters))
    chosen = tuple(sorted((matters[offset:] + matters[:offset])[:MATTERS_PER_POINT]))
    details = PointDetails(
        name=unit_name or spec.name,
        kind=spec.kind,
        address=spec.address,
        latitude=Decimal(spec.latitude) if spec.latitude else None,
        longitude=Decimal(spec.longitude) if spec.longitude else None,
        opening_hours=spec.hours,
        matter_ids=chosen,
    )
    if unit_name:
        # One of the district's units: its ServicePoint row is added with the same actions'
        # details, the unit stays.
        unit = district.units[spec.key]
        point = ServicePoint.objects.create(
            unit=unit,
            center=center,
            kind=details.kind,
            address=details.address,
            latitude=details.latitude,
            longitude=details.longitude,
            opening_hours=details.opening_hours,
            updated_at=timezone.now(),
        )
        point.matters.set(details.matter_ids)
        return point
    return do_create_point(admin, center=center, details=details, code=CODE_PREFIX + spec.key)


def _equip(admin: User, spec: PointSpec, point: ServicePoint) -> None:
    kinds = DEVICES + (
        (EquipmentKind.CAMERA,) if spec.kind != PointKind.RESIDENTS_COMMITTEE else ()
    )
    for kind in kinds:
        serial = (
            f"{kind.value[:2].upper()}-{spec.key}-{2024 if kind != EquipmentKind.CAMERA else 2025}"
        )
        do_add_equipment(admin, point.pk, kind=kind, serial_number=serial)


def _inspect(
    district: District, spec: PointSpec, point: ServicePoint, today: dt.date, index: int
) -> None:
    """A monthly round on every open point; the second point's printer broke 40 days ago and
    was repaired, the fourth's ID reader broke last week and waits for its repair."""
    inspector = district.users.get(f"neighborhood_{spec.street.lower()}", district.officeadmin)
    devices = list(point.equipment.filter(removed_at__isnull=True).order_by("pk"))
    for days in (40, 10):
        broken = {
            (1, 40): EquipmentKind.PRINTER,
            (3, 10): EquipmentKind.ID_READER,
        }.get((index, days))
        findings = [
            Finding(d.pk, d.kind != broken, "卡纸后无法打印" if d.kind == broken else "")
            for d in devices
        ]
        do_record_inspection(
            inspector,
            point.pk,
            inspected_on=today - dt.timedelta(days=days),
            findings=findings,
            note="例行巡检",
            photo=None,
        )
    for fault in Fault.objects.filter(point=point, found_on=today - dt.timedelta(days=40)):
        do_record_repair(
            inspector,
            point.pk,
            fault_id=fault.pk,
            repaired_on=today - dt.timedelta(days=37),
            note="更换搓纸轮，打印正常",
        )

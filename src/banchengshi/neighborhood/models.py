"""The neighbourhood's rows (R-NB-1…3), one module per area; Django finds them here."""

from banchengshi.neighborhood.points.models import (
    DeviceCheck,
    Equipment,
    Fault,
    Inspection,
    PointAction,
    PointEvent,
    PointKind,
    PointStatus,
    ServicePoint,
)

__all__ = [
    "DeviceCheck",
    "Equipment",
    "Fault",
    "Inspection",
    "PointAction",
    "PointEvent",
    "PointKind",
    "PointStatus",
    "ServicePoint",
]

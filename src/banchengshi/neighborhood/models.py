"""The neighbourhood's rows (R-NB-1…3), one module per area; Django finds them here."""

from banchengshi.neighborhood.assistance.models import (
    AssistanceEvent,
    AssistanceReminder,
    AssistanceRequest,
    ServiceItem,
)
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
from banchengshi.neighborhood.sessions.models import (
    CirculationStep,
    Outcome,
    RemoteSession,
    SessionMaterial,
)

__all__ = [
    "AssistanceEvent",
    "AssistanceReminder",
    "AssistanceRequest",
    "CirculationStep",
    "DeviceCheck",
    "Equipment",
    "Fault",
    "Inspection",
    "Outcome",
    "PointAction",
    "PointEvent",
    "PointKind",
    "PointStatus",
    "RemoteSession",
    "ServiceItem",
    "ServicePoint",
    "SessionMaterial",
]

"""The knowledge app's models, one module per area (Django finds them through this one)."""

from banchengshi.knowledge.hotspots.models import (
    CaseGroup,
    CaseGroupMember,
    HotspotAlert,
    HotspotDimension,
)

__all__ = ["CaseGroup", "CaseGroupMember", "HotspotAlert", "HotspotDimension"]

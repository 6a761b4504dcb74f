"""The neighbourhood app's administration pages, one module per area."""

from banchengshi.neighborhood.points import admin as points_admin

__all__ = ["points_admin"]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighborhoodConfig(AppConfig):
    """Government service in the neighbourhood (seed 003, R-NB-1…3): service points and their
    equipment, remote virtual window sessions, door-to-door assistance."""

    name = "banchengshi.neighborhood"
    verbose_name = _("Neighbourhood service")

"""Intake: what arrives from outside the window — external records through the intake API
and the batch import (R-IN-3), and Open311 GeoReport v2 (R-API-2)."""

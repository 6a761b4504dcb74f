"""Blanking personal identifiers out of free text before it is shown to the public (R-Q-3)."""

from __future__ import annotations

import re

MASK = "***"
PERSONAL = (
    # e-mail addresses (ASCII: a Chinese word before one is not part of it)
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    # 18-character ID numbers and unified social credit codes, 15-digit old IDs
    r"(?<![0-9A-Za-z])(?:[0-9A-Z]{18}|[0-9]{15})(?![0-9A-Za-z])",
    # mobile numbers, also written +86 138-1234-5678
    r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)",
)
LANDLINES = (
    # landlines with their area code, and 7- or 8-digit local numbers
    r"(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)",
    r"(?<!\d)\d{7,8}(?!\d)",
)
IDENTIFIERS = re.compile("|".join(PERSONAL + LANDLINES))
# An answer from a unit often gives the unit's own office number: that one stays readable.
PERSONAL_IDENTIFIERS = re.compile("|".join(PERSONAL))


def redact(text: str, names: tuple[str, ...] = (), *, landlines: bool = True) -> str:
    """`text` without e-mail addresses, ID numbers, credit codes, mobile numbers, landline
    numbers (unless `landlines` is False) and the given personal names."""
    text = (IDENTIFIERS if landlines else PERSONAL_IDENTIFIERS).sub(MASK, text)
    for name in names:
        if len(name.strip()) >= 2:
            text = text.replace(name.strip(), MASK)
    return text

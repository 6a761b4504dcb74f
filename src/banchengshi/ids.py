"""Numbers typed by people, and the largest a row's id can be: shared by every app that reads an
id or a page number from text, so that every page reads them one way; it depends on nothing."""

from __future__ import annotations

# The largest id a row can have (BigAutoField); a larger number names no row, and the
# databases refuse it as a parameter rather than find nothing.
MAX_ID = 2**63 - 1
# The longest decimal text worth converting: MAX_ID has 19 digits.
MAX_DIGITS = 19


def parse_number(text: str | None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """The whole number `text` spells in decimal digits (full-width ones too, as people type
    them with a Chinese input method), if it lies within low..high; else None."""
    text = (text or "").strip()
    if not text.isdecimal() or len(text) > MAX_DIGITS:
        return None
    value = int(text)
    return value if low <= value <= high else None

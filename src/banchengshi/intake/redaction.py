"""Blanking personal identifiers out of free text before it is shown to the public (R-Q-3).

People write numbers as they please: 138-1234-5678, 138.1234.5678, 138/1234/5678,
138 1234 5678, full-width １３８１２３４５６７８ (a Chinese input method's default), an ID number
ending in x or X. The patterns take any digit in either width and at most one separator
between two digits, so each way of writing is caught by one pattern rather than one pattern
per way. A name after a contact word ("联系人张伟") goes too, as the name is rarely the
petitioner's own registered one."""

from __future__ import annotations

import re

MASK = "***"
D = "[0-9０-９]"
# One separator a person may put between digits: space, dot, dash, slash, the full-width
# and ideographic forms of these, the middle dot.
S = r"[\s.\-/·．－／。、_—–]"
DIGITS = f"(?:{S}?{D})"
HAN = "\u4e00-\u9fff"
CONTACT_WORDS = ("联系人", "姓名")
PERSONAL = (
    # e-mail addresses (ASCII: a Chinese word before one is not part of it)
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+",
    # unified social credit codes (18 characters, digits and capitals)
    r"(?<![0-9A-Za-z０-９])[0-9A-Z]{18}(?![0-9A-Za-z０-９])",
    # 18-character ID numbers (the last one may be x in either case and width), 15-digit old
    f"(?<![0-9A-Za-z０-９]){D}{DIGITS}{{16}}(?:{S}?[0-9０-９xXｘＸ])(?![0-9A-Za-z０-９])",
    f"(?<![0-9A-Za-z０-９]){D}{DIGITS}{{14}}(?![0-9A-Za-z０-９])",
    # mobile numbers, also written +86 138-1234-5678
    f"(?<![0-9０-９])(?:[+＋]?[8８][6６]{S}?)?[1１]{S}?[3-9３-９]{DIGITS}{{9}}(?![0-9０-９])",
    # a name after a contact word: 联系人张伟, 联系人：王小明
    "(?:"
    + "|".join(f"(?<={word}{colon})" for word in CONTACT_WORDS for colon in ("", ":", "：", " "))
    + f")[{HAN}]{{2,4}}",
)
LANDLINES = (
    # landlines with their area code, and 7- or 8-digit local numbers; not a date
    # (2026-12-03), so the separators stand only where a number's groups part
    f"(?<![0-9０-９])[0０]{D}{{2,3}}{S}?{D}{{3,4}}{S}?{D}{{4}}(?![0-9０-９])",
    f"(?<![0-9０-９]){D}{{3,4}}{S}?{D}{{4}}(?![0-9０-９])",
)
IDENTIFIERS = re.compile("|".join(PERSONAL + LANDLINES))
# An answer from a unit often gives the unit's own office number: that one stays readable.
PERSONAL_IDENTIFIERS = re.compile("|".join(PERSONAL))


def redact(text: str, names: tuple[str, ...] = (), *, landlines: bool = True) -> str:
    """`text` without e-mail addresses, ID numbers, credit codes, mobile numbers, landline
    numbers (unless `landlines` is False), names after a contact word and the given personal
    names."""
    text = (IDENTIFIERS if landlines else PERSONAL_IDENTIFIERS).sub(MASK, text)
    for name in names:
        if len(name.strip()) >= 2:
            text = text.replace(name.strip(), MASK)
    return text

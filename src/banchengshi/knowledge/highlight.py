"""Marking a query's words in a text shown in search results (HTML-escaped, <mark>)."""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from banchengshi.textsearch.tokens import _RUNS, normalise


def highlight(text: str, query: str) -> SafeString:
    """`text` escaped, each occurrence of the query's Han runs and words in <mark>; the
    search normalises full-width and case, so the marking ignores case too."""
    terms = sorted({han or word for han, word in _RUNS.findall(normalise(query))}, key=len)
    if not terms:
        return mark_safe(escape(text))
    pattern = re.compile("|".join(re.escape(t) for t in reversed(terms)), re.IGNORECASE)
    parts: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))

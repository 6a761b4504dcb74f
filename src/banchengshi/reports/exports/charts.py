"""The report files' charts, drawn by matplotlib from the same figures as the page: SVG with
its text turned into outlines for the PDF (vectors, no font left for the viewer to guess,
so no Japanese glyph forms), PNG for Word documents. Noto Sans CJK SC draws the Chinese."""

from __future__ import annotations

import base64
from io import BytesIO

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

FONT = ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"]
BAR = "#2f6fb3"


def _bars(title: str, rows: list[tuple[str, int]]) -> Figure:
    figure = Figure(figsize=(6.4, 0.35 * max(len(rows), 3) + 1.0), dpi=150)
    axes = figure.subplots()
    labels = [label for label, _count in rows][::-1]
    counts = [count for _label, count in rows][::-1]
    axes.barh(labels, counts, color=BAR)
    axes.set_title(title, fontfamily=FONT, fontsize=11)
    for label in axes.get_yticklabels():
        label.set_fontfamily(FONT)
    for index, count in enumerate(counts):
        axes.annotate(
            str(count), (count, index), xytext=(3, 0), textcoords="offset points", va="center"
        )
    axes.spines[["top", "right"]].set_visible(False)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    return figure


def bars_svg(title: str, rows: list[tuple[str, int]]) -> str:
    """A data: URL of the chart as SVG: an image of its own, so that its styles and ids do
    not mix with the page's."""
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": "report"}):
        out = BytesIO()
        _bars(title, rows).savefig(out, format="svg")
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def bars_png(title: str, rows: list[tuple[str, int]]) -> bytes:
    out = BytesIO()
    _bars(title, rows).savefig(out, format="png")
    return out.getvalue()

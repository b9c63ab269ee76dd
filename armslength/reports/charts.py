"""Charts drawn as SVG on the server.

Plain strings, no plotting library and no script: the same markup shows in the
browser, in the PDF (WeasyPrint draws inline SVG) and offline. Each chart has
a <title> and an aria-label so a screen reader gets the gist; the figures
themselves are always in a table next to the chart.
"""

from __future__ import annotations

from html import escape

PALETTE = ("#1f5f8b", "#e07b39", "#3a9d5d", "#8e5ea2", "#c94f4f", "#7f7f7f")
FONT = 'font-family="DejaVu Sans, Arial, sans-serif"'


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'class="chart" {FONT} font-size="11">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", **attrs) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


#: DejaVu Sans advance widths, as a share of the font size (its widest glyphs are ~0.8;
#: ordinary text runs ~0.6). Over-estimating keeps labels inside; never clipped.
CHAR_EM = 0.64
BOLD_EM = 0.70


def text_width(text: str, size: float = 11, bold: bool = False) -> float:
    """How wide `text` sets in the chart's font, a little generously."""
    return len(text) * size * (BOLD_EM if bold else CHAR_EM)


def _wrap(text: str, max_width: float, size: float = 11, bold: bool = False) -> list[str]:
    """Words into lines no wider than `max_width`; a word too long alone is cut with "…"."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= max_width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    fitted = []
    for line in lines or [""]:
        while line and text_width(line, size, bold) > max_width:
            line = line[:-2] + "…"
        fitted.append(line)
    return fitted


def _percent(value: float) -> str:
    return f"{value * 100:.1f} %"


def horizontal_bars(title: str, items: list[tuple[str, float]], *, of: float = 1.0) -> str:
    """One bar per item, as a share of `of` (expertise coverage).

    The label column is as wide as the longest label (up to 260 units, then
    labels wrap), so no label runs off the chart's left edge.
    """
    bar_w, line_h = 300, 13
    longest = max((text_width(label) for label, _v in items), default=0)
    label_w = int(min(max(longest + 12, 80), 260))
    wrapped = [_wrap(label, label_w - 10) for label, _v in items]
    body = []
    if not items:
        body.append(_text(10, 20, "Nothing recorded"))
    y = 8
    for lines, (_label, value) in zip(wrapped, items, strict=True):
        row_h = max(20, 8 + line_h * len(lines))
        fraction = (value / of) if of else 0.0
        fraction = min(max(fraction, 0.0), 1.0)
        for n, line in enumerate(lines):
            body.append(_text(label_w - 6, y + 11 + n * line_h, line, "end"))
        body.append(
            f'<rect x="{label_w}" y="{y}" width="{bar_w * fraction:.1f}" height="14" '
            f'fill="{PALETTE[0]}"/>'
        )
        body.append(_text(label_w + bar_w * fraction + 4, y + 11, _percent(fraction)))
        y += row_h
    return _svg(label_w + bar_w + 60, max(y + 2, 30), title, body)


def stacked_columns(title: str, columns: list[str], series: list[tuple[str, list[float]]]) -> str:
    """One column per year, stacked by series (headcount by category)."""
    # `top` leaves room for the total written above the tallest column
    left, top, plot_h, col_w, gap = 40, 20, 160, 46, 22
    totals = [sum(values[i] for _, values in series) for i in range(len(columns))]
    peak = max(totals, default=0) or 1
    width = left + len(columns) * (col_w + gap) + 10
    body = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}" stroke="#999"/>'
    ]
    body.append(_text(left - 4, top + 8, f"{peak:g}", "end"))
    body.append(_text(left - 4, top + plot_h, "0", "end"))
    for i, column in enumerate(columns):
        x, y = left + gap / 2 + i * (col_w + gap), top + plot_h
        for s, (_label, values) in enumerate(series):
            h = plot_h * values[i] / peak
            y -= h
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{col_w}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}"/>'
            )
        body.append(_text(x + col_w / 2, top + plot_h + 14, column, "middle"))
        body.append(_text(x + col_w / 2, y - 3, f"{totals[i]:g}", "middle"))
    legend_y = top + plot_h + 30
    # legend entries as wide as their labels, three to a row
    slot = max((text_width(label) for label, _v in series), default=0) + 24
    for s, (label, _values) in enumerate(series):
        lx = left + (s % 3) * slot
        ly = legend_y + (s // 3) * 16
        body.append(
            f'<rect x="{lx:.1f}" y="{ly - 9}" width="10" height="10" '
            f'fill="{PALETTE[s % len(PALETTE)]}"/>'
        )
        body.append(_text(lx + 14, ly, label))
    height = legend_y + 16 * ((len(series) + 2) // 3) + 4
    legend_w = left + min(3, len(series)) * slot + 10
    return _svg(int(max(width, legend_w, left + 450)), height, title, body)


def share_panels(title: str, panels: list[tuple[str, list[tuple[str, float | None]]]]) -> str:
    """Small multiples: one little column chart of a share over the years per panel."""
    per_row, panel_w, panel_h, plot_h = 4, 170, 110, 60
    rows = (len(panels) + per_row - 1) // per_row
    peak = max((v for _, points in panels for _, v in points if v is not None), default=0)
    peak = max(peak, 0.01)
    body = []
    for n, (name, points) in enumerate(panels):
        ox, oy = (n % per_row) * panel_w, (n // per_row) * panel_h
        # a body's name wider than its panel is shortened, never run into the next panel
        (shown,) = _wrap(name.replace(" ", "\u00a0"), panel_w - 12, bold=True)[:1]
        body.append(_text(ox + 6, oy + 14, shown.replace("\u00a0", " "), font_weight="bold"))
        base = oy + 20 + plot_h
        body.append(
            f'<line x1="{ox + 6}" y1="{base}" x2="{ox + panel_w - 10}" y2="{base}" stroke="#999"/>'
        )
        width = (panel_w - 20) / max(1, len(points))
        for i, (year, value) in enumerate(points):
            x = ox + 8 + i * width
            if value is None:
                body.append(_text(x + width / 2, base - 3, "\u2013", "middle"))
            else:
                h = plot_h * value / peak
                body.append(
                    f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{width - 6:.1f}" '
                    f'height="{h:.1f}" fill="{PALETTE[0]}"/>'
                )
                body.append(_text(x + width / 2 - 3, base - h - 2, f"{value * 100:.0f}%", "middle"))
            body.append(_text(x + width / 2 - 3, base + 12, "\u2019" + year[-2:], "middle"))
    return _svg(per_row * panel_w, max(1, rows) * panel_h + 6, title, body)

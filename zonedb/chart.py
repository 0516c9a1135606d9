"""Draw a series as a self-contained SVG (or an HTML page around it); pure, no plotting library.

Periods run along the x axis in time order, values up the y axis in a readable unit (money in
元 is shown in 亿元 or 万元 when that reads best).  Labels are Chinese; the font list names
common CJK fonts so the labels render wherever one of them is installed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

__all__ = ["FONT_FAMILY", "Point", "display_unit", "nice_ticks", "render_html", "render_svg"]

FONT_FAMILY = ("'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', "
               "'WenQuanYi Zen Hei', 'Microsoft YaHei', 'PingFang SC', SimHei, sans-serif")

_MONEY_SCALES = ((Decimal(10) ** 8, "亿元"), (Decimal(10) ** 4, "万元"), (Decimal(1), "元"))
_STATUS_COLOR = {"conflict": "#c0392b", "agree": "#1e6fb8", "single": "#1e6fb8"}
_STATUS_LABEL = {"conflict": "来源不一致", "agree": "多来源一致", "single": "单一来源"}


@dataclass(frozen=True, slots=True)
class Point:
    """One period's value: the x label, the value in the stored unit, and the fact status."""

    label: str
    value: Decimal
    status: str = "single"
    n_documents: int = 1


def display_unit(unit: str, values: Sequence[Decimal]) -> tuple[Decimal, str]:
    """(divisor, unit shown): 元 values of 1亿 or more read as 亿元, of 1万 or more as 万元."""
    if unit != "元" or not values:
        return Decimal(1), unit
    top = max(abs(v) for v in values)
    for factor, name in _MONEY_SCALES:
        if top >= factor:
            return factor, name
    return Decimal(1), unit


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (about ``count`` of them)."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step) * step
    ticks, t = [], start
    while t < high + step * 0.999:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _fmt(value: float) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def render_svg(points: Sequence[Point], *, title: str, unit: str, subtitle: str = "",
               width: int = 760, height: int = 440) -> str:
    """An SVG line chart of ``points`` (already in period order)."""
    divisor, shown_unit = display_unit(unit, [p.value for p in points])
    values = [float(p.value / divisor) for p in points]
    left, right, top, bottom = 84, 24, 64, 96
    plot_w, plot_h = width - left - right, height - top - bottom
    lo = min([0.0, *values]) if values else 0.0
    hi = max([0.0, *values]) if values else 1.0
    ticks = nice_ticks(lo, hi)
    y_min, y_max = ticks[0], ticks[-1]

    def y(v: float) -> float:
        return top + plot_h - (v - y_min) / (y_max - y_min) * plot_h

    n = len(points)
    slot = plot_w / max(n, 1)

    def x(i: int) -> float:
        return left + slot * (i + 0.5)

    font = escape(FONT_FAMILY, quote=True)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{font}" font-size="13">',
        f'<title>{escape(title)}</title>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width / 2:.1f}" y="28" text-anchor="middle" font-size="18" font-weight="bold" '
        f'fill="#222">{escape(title)}</text>',
    ]
    if subtitle:
        parts.append(f'<text x="{width / 2:.1f}" y="48" text-anchor="middle" font-size="12" '
                     f'fill="#666">{escape(subtitle)}</text>')
    for t in ticks:
        parts.append(f'<line x1="{left}" y1="{y(t):.1f}" x2="{width - right}" y2="{y(t):.1f}" '
                     f'stroke="#e3e3e3" stroke-width="1"/>')
        parts.append(f'<text x="{left - 8}" y="{y(t) + 4:.1f}" text-anchor="end" fill="#444">{_fmt(t)}</text>')
    parts.append(f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#333" stroke-width="1.5"/>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
                 f'stroke="#333" stroke-width="1.5"/>')
    parts.append(f'<text x="22" y="{top + plot_h / 2:.1f}" text-anchor="middle" fill="#222" '
                 f'transform="rotate(-90 22 {top + plot_h / 2:.1f})">数值（{escape(shown_unit)}）</text>')
    parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 14}" text-anchor="middle" '
                 f'fill="#222">时期</text>')
    if n > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        parts.append(f'<path d="{path}" fill="none" stroke="#1e6fb8" stroke-width="2.5"/>')
    for i, (p, v) in enumerate(zip(points, values, strict=True)):
        color = _STATUS_COLOR.get(p.status, "#1e6fb8")
        tip = f"{p.label}: {_fmt(v)} {shown_unit}（{_STATUS_LABEL.get(p.status, p.status)}，{p.n_documents} 篇）"
        parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="5" fill="{color}" stroke="#fff" '
                     f'stroke-width="1.5"><title>{escape(tip)}</title></circle>')
        parts.append(f'<text x="{x(i):.1f}" y="{y(v) - 10:.1f}" text-anchor="middle" fill="{color}">'
                     f'{_fmt(v)}</text>')
        label_y = top + plot_h + 20
        parts.append(f'<text x="{x(i):.1f}" y="{label_y}" text-anchor="middle" fill="#222">{escape(p.label)}</text>')
    if not points:
        parts.append(f'<text x="{left + plot_w / 2:.1f}" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
                     f'fill="#888">没有数据</text>')
    if any(p.status == "conflict" for p in points):
        parts.append(f'<circle cx="{left + 6}" cy="{height - 40}" r="5" fill="{_STATUS_COLOR["conflict"]}"/>'
                     f'<text x="{left + 16}" y="{height - 36}" fill="#444">红点：各来源数值不一致</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def render_html(svg: str, *, title: str) -> str:
    """A minimal UTF-8 HTML page that shows ``svg``."""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n"
        f"<style>body{{margin:16px;background:#fff;font-family:{FONT_FAMILY};}}</style>\n"
        f"</head>\n<body>\n{svg}</body>\n</html>\n"
    )

"""Small inline SVG charts for the HTML report, drawn by hand: no library, no script, no network.

Every text is escaped here; coordinates are written with one decimal so the same figures always give
the same bytes. Colours come from CSS classes of the page (`bar-held`, `line-participant`…), so the
print stylesheet can adjust them; each element also carries them as SVG attributes (`PAINT`), which a
renderer that does not style inline SVG with the page's CSS draws (WeasyPrint, `--pdf`).
"""

from __future__ import annotations

import math
from html import escape
from typing import Callable, Sequence

LABEL_WIDTH = 230
ROW = 24
WIDTH = 760
MIN_RATE_STEP = 0.05  # gridlines 5 points apart at least, so that noise does not look like a trend


# The page's colours (`document.html.CSS`) as SVG presentation attributes: the page's CSS wins where it applies.
PAINT = {
    "bar-held": 'fill="#2b6cb0"', "bar-expected": 'fill="#bee3f8"', "bar-rate": 'fill="#2f855a"',
    "line-participant": 'fill="none" stroke="#2b6cb0" stroke-width="2.5"',
    "line-control": 'fill="none" stroke="#c05621" stroke-width="2" stroke-dasharray="6 4"',
    "dot-participant": 'fill="#2b6cb0"', "key-participant": 'fill="#2b6cb0"',
    "dot-control": 'fill="#c05621"', "key-control": 'fill="#c05621"',
    "chart": 'font-size="11"', "grid": 'stroke="#e2e8f0"', "axis": 'fill="#4a5568"', "legend": 'fill="#4a5568"',
    "value": 'fill="#4a5568"', "label": 'fill="#1a202c"',
}


def _class(cls: str) -> str:
    """`class="cls"` and its colours as attributes."""
    paint = PAINT.get(cls)
    return f'class="{cls}"' + (f" {paint}" if paint else "")


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(x: float, y: float, text: str, cls: str = "", anchor: str = "start") -> str:
    return f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{" " + _class(cls) if cls else ""}>{escape(text)}</text>'


def _short(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(width: float, height: float, label: str, body: list[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" {_class("chart")} viewBox="0 0 {_n(width)} {_n(height)}" '
        f'width="{_n(width)}" height="{_n(height)}" role="img" aria-label="{escape(label)}">'
        f"<title>{escape(label)}</title>" + "".join(body) + "</svg>"
    )


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` intervals over `span`."""
    raw = span / ticks if span > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _ticks(low: float, high: float, step: float) -> list[float]:
    """Gridline values from low to high, computed from their index so that no rounding error piles up."""
    return [low + k * step for k in range(round((high - low) / step) + 1)]


def _legend(x: float, y: float, items: Sequence[tuple[str, str]]) -> list[str]:
    out = []
    for label, cls in items:
        out.append(f'<rect x="{_n(x)}" y="{_n(y - 9)}" width="14" height="10" {_class(cls)}/>')
        out.append(_text(x + 19, y, label, "legend"))
        x += 30 + 7 * len(label)
    return out


def held_expected_bars(rows: Sequence[tuple[str, int, int | None]], title: str, held: str, expected: str,
                       fmt: Callable[[int], str]) -> str:
    """One line per group: the meetings expected as a pale bar, the meetings held as a dark bar over it."""
    top = 30
    top_value = max([1] + [max(h, e or 0) for _, h, e in rows])
    step = max(1, nice_step(top_value))
    scale_max = math.ceil(top_value / step) * step
    plot = WIDTH - LABEL_WIDTH - 50
    height = top + ROW * len(rows) + 24
    x = lambda v: LABEL_WIDTH + plot * v / scale_max  # noqa: E731
    body = _legend(LABEL_WIDTH, 16, [(held, "bar-held"), (expected, "bar-expected")])
    for tick in _ticks(0, scale_max, step):
        body.append(f'<line x1="{_n(x(tick))}" y1="{top - 4}" x2="{_n(x(tick))}" y2="{_n(height - 20)}" {_class("grid")}/>')
        body.append(_text(x(tick), height - 6, fmt(int(tick)), "axis", "middle"))
    for i, (name, done, due) in enumerate(rows):
        y = top + i * ROW
        shown = fmt(done) if due is None else f"{fmt(done)} / {fmt(due)}"
        body.append(f"<g><title>{escape(f'{name} : {shown}')}</title>")
        body.append(_text(LABEL_WIDTH - 8, y + 15, _short(name), "label", "end"))
        if due:
            body.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{_n(x(due) - LABEL_WIDTH)}" height="16" {_class("bar-expected")}/>')
        body.append(f'<rect x="{LABEL_WIDTH}" y="{y + 7}" width="{_n(x(done) - LABEL_WIDTH)}" height="8" {_class("bar-held")}/>')
        body.append(_text(x(max(done, due or 0)) + 5, y + 15, shown, "value"))
        body.append("</g>")
    return _svg(WIDTH, height, title, body)


def rate_bars(rows: Sequence[tuple[str, float | None]], title: str, fmt: Callable[[float | None], str]) -> str:
    """One line per group: a share from 0 to 100 %, its value written after the bar."""
    top = 12
    plot = WIDTH - LABEL_WIDTH - 70
    height = top + ROW * len(rows) + 24
    x = lambda v: LABEL_WIDTH + plot * v  # noqa: E731
    body = []
    for quarter in range(5):
        v = quarter / 4
        body.append(f'<line x1="{_n(x(v))}" y1="{top - 4}" x2="{_n(x(v))}" y2="{_n(height - 20)}" {_class("grid")}/>')
        body.append(_text(x(v), height - 6, fmt(v), "axis", "middle"))
    for i, (name, value) in enumerate(rows):
        y = top + i * ROW
        body.append(f"<g><title>{escape(f'{name} : {fmt(value)}')}</title>")
        body.append(_text(LABEL_WIDTH - 8, y + 15, _short(name), "label", "end"))
        if value is not None:
            body.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{_n(x(value) - LABEL_WIDTH)}" height="14" {_class("bar-rate")}/>')
        body.append(_text(x(value or 0) + 5, y + 15, fmt(value), "value"))
        body.append("</g>")
    return _svg(WIDTH, height, title, body)


def rate_lines(periods: Sequence[str], series: Sequence[tuple[str, Sequence[float | None], str]], title: str,
               fmt: Callable[[float | None], str]) -> str:
    """Rates over periods, one line per population, on an axis from 0 %; a missing value breaks its line."""
    width, height = 330, 200
    left, right, top, bottom = 46, 12, 30, 26
    values = [v for _, vs, _ in series for v in vs if v is not None]
    high = max(values, default=1.0)
    step = max(nice_step(high, 4), MIN_RATE_STEP)
    low = 0.0  # the axis starts at 0 %: a cut axis would make a change of a few points look steep
    high = min(1.0, max(step, math.ceil(high / step) * step))
    plot_w, plot_h = width - left - right, height - top - bottom
    x = lambda i: left + (plot_w * (i + 0.5) / len(periods) if periods else 0)  # noqa: E731
    y = lambda v: top + plot_h * (high - v) / (high - low)  # noqa: E731
    body = _legend(left, 14, [(name, f"key-{cls}") for name, _, cls in series])
    for tick in _ticks(low, high, step):
        body.append(f'<line x1="{left}" y1="{_n(y(tick))}" x2="{width - right}" y2="{_n(y(tick))}" {_class("grid")}/>')
        body.append(_text(left - 6, y(tick) + 4, fmt(tick), "axis", "end"))
    for i, period in enumerate(periods):
        body.append(_text(x(i), height - 8, period, "axis", "middle"))
    lines, dots = [], []
    for name, vs, cls in series:
        run: list[str] = []
        for i, v in enumerate(list(vs) + [None]):
            if v is not None:
                run.append(f"{_n(x(i))},{_n(y(v))}")
                dots.append(f'<circle cx="{_n(x(i))}" cy="{_n(y(v))}" r="3" {_class(f"dot-{cls}")}>'
                            f"<title>{escape(f'{name} {periods[i]} : {fmt(v)}')}</title></circle>")
            elif run:
                if len(run) > 1:
                    lines.append(f'<polyline points="{" ".join(run)}" {_class(f"line-{cls}")}/>')
                run = []
    body += lines + dots
    return _svg(width, height, title, body)

"""Tiny text charts: a due forecast as bars and a review heatmap, in plain cells so
they render in any terminal at 80 columns."""

from __future__ import annotations

BARS = " ▁▂▃▄▅▆▇█"
SHADES = "·░▒▓█"


def bars(values: list[int]) -> str:
    top = max(values) if values and max(values) > 0 else 1
    return "".join(BARS[min(8, -(-v * 8 // top))] if v else BARS[0] for v in values)


def heatmap(values: list[int], weeks: int = 12) -> list[str]:
    """7 rows (days of the week) by `weeks` columns, oldest column first."""
    values = values[-weeks * 7 :]
    values = [0] * (weeks * 7 - len(values)) + values
    top = max(values) if max(values) > 0 else 1
    rows = []
    for day in range(7):
        cells = []
        for w in range(weeks):
            v = values[w * 7 + day]
            cells.append(SHADES[0] if v == 0 else SHADES[min(4, 1 + (v * 3) // top)])
        rows.append(" ".join(cells))
    return rows


def meter(score: float, width: int = 10) -> str:
    filled = round(max(0.0, min(1.0, score)) * width)
    return "█" * filled + "░" * (width - filled)

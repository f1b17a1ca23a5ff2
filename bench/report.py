"""Rows of the benchmark table and how they are printed (aligned text or JSON)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Row:
    """One measured figure, in seconds; target and baseline are optional."""

    figure: str
    measured_s: float
    target_s: float | None = None
    baseline_s: float | None = None
    detail: str = ""

    @property
    def ratio(self) -> float | None:
        return None if not self.baseline_s else self.measured_s / self.baseline_s

    @property
    def meets_target(self) -> bool | None:
        return None if self.target_s is None else self.measured_s < self.target_s


@dataclass
class Context:
    """What every benchmark gets: the large store and the run's baseline."""

    data_dir: Path
    python: str
    repeat: int
    baseline_s: float | None = None
    notes: list[str] = field(default_factory=list)


Benchmark = Callable[[Context], list[Row]]

HEADERS = ("figure", "measured", "target", "baseline", "ratio")


def format_seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} s" if value >= 1 else f"{value * 1000:.0f} ms"


def _cells(row: Row) -> tuple[str, ...]:
    target = "—" if row.target_s is None else "< " + format_seconds(row.target_s)
    if row.meets_target is False:
        target += " MISSED"
    ratio = "—" if row.ratio is None else f"×{row.ratio:.2f}"
    return (
        row.figure,
        format_seconds(row.measured_s),
        target,
        format_seconds(row.baseline_s),
        ratio,
    )


def format_table(rows: Sequence[Row]) -> str:
    table = [HEADERS, *(_cells(r) for r in rows)]
    widths = [max(_width(line[i]) for line in table) for i in range(len(HEADERS))]
    lines = []
    for n, line in enumerate(table):
        cells = [_pad(cell, widths[i], right=i > 0) for i, cell in enumerate(line)]
        lines.append(" | ".join(cells).rstrip())
        if n == 0:
            lines.append("-+-".join("-" * w for w in widths))
    details = [f"  {r.figure}: {r.detail}" for r in rows if r.detail]
    return "\n".join(lines + (["", *details] if details else []))


def _width(text: str) -> int:
    # East Asian wide characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, *, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


def to_json(rows: Sequence[Row], *, notes: Sequence[str], total_s: float) -> str:
    return json.dumps(
        {
            "rows": [
                {
                    "figure": r.figure,
                    "measured_s": round(r.measured_s, 4),
                    "target_s": r.target_s,
                    "baseline_s": None if r.baseline_s is None else round(r.baseline_s, 4),
                    "ratio": None if r.ratio is None else round(r.ratio, 3),
                    "meets_target": r.meets_target,
                    "detail": r.detail,
                }
                for r in rows
            ],
            "notes": list(notes),
            "total_s": round(total_s, 2),
        },
        ensure_ascii=False,
        indent=2,
    )

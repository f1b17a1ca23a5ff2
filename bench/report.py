"""Rows of the benchmark table and how they are printed (aligned text or JSON)."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal


@dataclass(frozen=True)
class Row:
    """One measured figure, in seconds; target and baseline are optional.

    ``measured_s`` is None for a figure that was not measured (skipped, failed; shown as "—");
    ``unit="count"`` makes it a number of things (errors, say) instead of seconds.
    """

    figure: str
    measured_s: float | None
    target_s: float | None = None
    baseline_s: float | None = None
    detail: str = ""
    unit: Literal["s", "count"] = "s"

    @property
    def ratio(self) -> float | None:
        if not self.baseline_s or self.measured_s is None:
            return None
        return self.measured_s / self.baseline_s

    @property
    def meets_target(self) -> bool | None:
        if self.target_s is None or self.measured_s is None:
            return None
        return self.measured_s < self.target_s


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


def _format_value(value: float | None, unit: str) -> str:
    if unit == "count":
        return "—" if value is None else f"{value:,.0f}"
    return format_seconds(value)


def _cells(row: Row) -> tuple[str, ...]:
    target = "—" if row.target_s is None else "< " + _format_value(row.target_s, row.unit)
    if row.meets_target is False:
        target += f" MISSED by {_gap(row)}"
    ratio = "—" if row.ratio is None else f"×{row.ratio:.2f}"
    return (
        row.figure,
        _format_value(row.measured_s, row.unit),
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
    return "\n".join(lines + ["", summary(rows)] + (["", *details] if details else []))


def _gap(row: Row) -> str:
    """How far over its target a figure is: "+0.10 s (+3%)"."""
    assert row.measured_s is not None and row.target_s is not None
    over = row.measured_s - row.target_s
    share = f" (+{over / row.target_s:.0%})" if row.target_s else ""
    if row.unit == "count":
        return f"+{over:,.0f}{share}"
    return f"+{format_seconds(over)}{share}"


def summary(rows: Sequence[Row]) -> str:
    """One line under the table: how many targets were met, and each gap by name."""
    with_target = [r for r in rows if r.target_s is not None]
    met = [r for r in with_target if r.meets_target]
    missed = [r for r in with_target if r.meets_target is False]
    unmeasured = [r for r in with_target if r.measured_s is None]
    parts = [f"targets: {len(met)} of {len(with_target)} met"]
    if missed:
        parts.append("missed: " + "; ".join(f"{r.figure} by {_gap(r)}" for r in missed))
    if unmeasured:
        parts.append("not measured: " + "; ".join(r.figure for r in unmeasured))
    return ". ".join(parts)


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
                    "measured_s": None if r.measured_s is None else round(r.measured_s, 4),
                    "unit": r.unit,
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


def run_alone(benchmark: Benchmark, *, prog: str, repeat: int = 5) -> None:
    """``python -m bench.X``: one benchmark that needs no large store, its table printed."""
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("--repeat", type=int, default=repeat)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = benchmark(Context(data_dir=Path(tmp), python="", repeat=args.repeat))
    print(format_table(rows))

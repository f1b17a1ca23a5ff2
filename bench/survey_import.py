"""Survey import figures: every municipality of Japan (1,741 rows) × 80 columns, imported whole.

- **File**: ``tests.imports.survey_files.nationwide_xlsx``: 1,741 synthetic municipalities with
  valid codes, the 26 item columns (code + question headers, answers as labels) and filler
  columns to 80, written by openpyxl.
- **Import** (timed): what ``dxdesk import-survey`` does: read and check the file
  (``read_survey``: both openpyxl passes where formulas exist, header search, column mapping,
  every answer parsed), compare with the store (``plan_for``) and write 1,741 survey
  assessments in one transaction (``apply_plan``), into a fresh store whose municipality table
  holds the synthetic roster, assigned.
- **Baseline**, same run, same file: openpyxl read-only iterating every cell's value.

Target (from the issue): the import under 3 s. Median of ``repeat`` runs, each on a fresh store.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import openpyxl

from bench.report import Context, Row, run_alone
from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.roster import Municipality
from dxdesk.imports.plan import apply_plan, plan_for
from dxdesk.imports.survey import read_survey
from dxdesk.models.tables import MunicipalityRow
from dxdesk.services.workspace import open_workspace
from tests.imports.survey_files import nationwide_xlsx

ROWS = 1_741
COLUMNS = 80
TARGET_S = 3.0


def _roster(pairs: list[tuple[str, str]]) -> list[Municipality]:
    return [Municipality(code, name, "", name[-1], None, "全国", None) for code, name in pairs]


def _baseline(path: Path) -> tuple[float, int]:
    started = time.perf_counter()
    book = openpyxl.load_workbook(path, read_only=True)
    cells = 0
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            cells += sum(1 for _ in row)
    book.close()
    return time.perf_counter() - started, cells


def _import(path: Path, roster: list[Municipality], folder: Path) -> tuple[float, int]:
    workspace = open_workspace(folder)
    try:
        with workspace.store.transaction() as session:
            session.query(MunicipalityRow).update({"assigned": False})
            for m in roster:  # a synthetic code may be a real one of the roster
                row = session.get(MunicipalityRow, m.code)
                if row is not None:
                    row.assigned = True
                    continue
                session.add(
                    MunicipalityRow(
                        code=m.code,
                        name=m.name,
                        kana="",
                        kind=m.kind,
                        gun=None,
                        region=m.region,
                        population=None,
                        assigned=True,
                    )
                )
        catalog = load_catalog()
        started = time.perf_counter()
        survey = read_survey(path, catalog=catalog, roster=roster)
        plan = plan_for(workspace, survey, fiscal_year=2025)
        if plan.problems:
            raise RuntimeError(f"the benchmark file has problems: {plan.problems[:3]}")
        stored = apply_plan(workspace, plan)
        return time.perf_counter() - started, len(stored.created)
    finally:
        workspace.close()


def _measure(
    path: Path, roster: list[Municipality], folder: Path, repeat: int
) -> tuple[float, float, int, str]:
    baselines, imports, written = [], [], 0
    for run in range(max(1, repeat)):
        baselines.append(_baseline(path)[0])
        seconds, written = _import(path, roster, folder / f"store{run}")
        imports.append(seconds)
    runs = ", ".join(f"{s:.2f}" for s in imports)
    return statistics.median(imports), statistics.median(baselines), written, runs


def survey_import(ctx: Context) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-survey-") as tmp:
        folder = Path(tmp)
        path, pairs = nationwide_xlsx(folder, rows=ROWS, columns=COLUMNS)
        lean, _ = nationwide_xlsx(folder / "lean", rows=ROWS, columns=COLUMNS, write_only=True)
        roster = _roster(pairs)
        size = path.stat().st_size
        measured, baseline, written, runs = _measure(path, roster, folder / "a", ctx.repeat)
        lean_measured, lean_baseline, _, lean_runs = _measure(
            lean, roster, folder / "b", ctx.repeat
        )
        _, cells = _baseline(path)
    name = f"survey import, {ROWS:,} rows × {COLUMNS} columns"
    return [
        Row(
            name,
            measured,
            target_s=TARGET_S,
            baseline_s=baseline,
            detail=(
                f"{size / 1e6:.1f} MB xlsx saved with its size first (as Excel does); read, "
                f"mapped, planned and {written:,} assessments written in one transaction; "
                f"median of {ctx.repeat} runs ({runs} s)"
            ),
        ),
        Row(
            "survey import baseline: openpyxl read-only over every cell",
            baseline,
            baseline_s=baseline,
            detail=f"{cells:,} cells; median of {ctx.repeat} runs",
        ),
        Row(
            name + ", sheet size not stated",
            lean_measured,
            target_s=TARGET_S,
            baseline_s=lean_baseline,
            detail=(
                "the same answers written in openpyxl's write-only mode, which leaves out the "
                "sheet's size: openpyxl then parses the sheet once more to learn it (the "
                f"baseline too); median of {ctx.repeat} runs ({lean_runs} s)"
            ),
        ),
    ]


if __name__ == "__main__":
    run_alone(survey_import, prog="python -m bench.survey_import", repeat=3)

"""Survey import figures: every municipality of Japan (1,741 rows) answering the whole survey.

- **File**: ``tests.imports.survey_files.whole_survey_nationwide_xlsx``: a Microsoft Forms export
  (ID, 開始時刻, 完了時刻, メール, 名前, 最終変更時刻, 市町村名, then one column per question
  headed by its text; multiple choice as 「A;B;」) of 1,741 synthetic municipalities answering
  the shipped R6 definition (66 questions: 26 scored, 9 multiple choice, numbers, dates, text…)
  padded with 27 synthetic questions on a tenth page (``padded_definition``: multiple choice
  over the definition's own lists, single choice, numbers, yes/no, text) to 100 columns. The
  padded definition is loaded into each fresh store as the year's definition (not timed).
- **Import** (timed): what ``dxdesk import-survey`` does: read and check the file
  (``read_survey`` under the year's definition: the zip checks, the cells, the header search,
  every column mapped, every answer parsed), compare with the store (``plan_for``) and write
  1,741 survey responses and 1,741 survey assessments in one transaction (``apply_plan``), into
  a fresh store whose municipality table holds the synthetic roster, assigned. Also timed
  apart, in the same runs: reading the cells alone (``read_workbook``) and read + map + parse
  (``read_survey``).
- **Baseline**, same run, same file: openpyxl read-only iterating every cell's value. And
  python-calamine (what the reader now uses) over the same cells.

Target (from the issue): the import under 3 s. Median of ``repeat`` runs, each on a fresh store.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook

from bench.report import Context, Row, run_alone
from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.roster import Municipality
from dxdesk.domain.survey_definition import SurveyDefinition
from dxdesk.imports.plan import apply_plan, plan_for
from dxdesk.imports.survey import read_survey
from dxdesk.imports.workbook import read_workbook
from dxdesk.models.tables import MunicipalityRow
from dxdesk.services.survey_definitions import shipped_definition, year_definition
from dxdesk.services.workspace import Workspace, open_workspace
from tests.imports.survey_files import (
    PADDING_QUESTIONS,
    padded_definition,
    whole_survey_nationwide_xlsx,
)
from tests.imports.whole_survey_files import definition_record

ROWS = 1_741
FISCAL_YEAR = 2024
TARGET_S = 3.0


def _openpyxl_cells(path: Path) -> int:
    book = openpyxl.load_workbook(path, read_only=True)
    cells = 0
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            cells += sum(1 for _ in row)
    book.close()
    return cells


def _calamine_cells(path: Path) -> int:
    cells = 0
    with CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes())) as book:
        for name in book.sheet_names:
            for row in book.get_sheet_by_name(name).iter_rows():
                cells += sum(1 for _ in row)
    return cells


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _fresh_store(
    folder: Path, roster: list[Municipality], definition: SurveyDefinition
) -> Workspace:
    workspace = open_workspace(folder)
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
    workspace.survey_definitions.add(definition_record(definition))
    return workspace


def _import(path: Path, roster: list[Municipality], workspace: Workspace) -> tuple[float, int, int]:
    """read + map + plan + store, as read_plan and apply_plan do (with the synthetic roster)."""
    catalog = load_catalog()
    started = time.perf_counter()
    chosen = year_definition(workspace.store, FISCAL_YEAR, catalog)
    year_survey = chosen.definition
    survey = read_survey(
        path, catalog=catalog, roster=roster, definition=lambda _stated: year_survey
    )
    plan = plan_for(workspace, survey, fiscal_year=FISCAL_YEAR, definition=chosen)
    if plan.problems:
        raise RuntimeError(f"the benchmark file has problems: {plan.problems[:3]}")
    stored = apply_plan(workspace, plan)
    return time.perf_counter() - started, len(stored.responses_created), len(stored.created)


def survey_import(ctx: Context) -> list[Row]:
    catalog = load_catalog()
    shipped = shipped_definition(FISCAL_YEAR)
    if shipped is None:
        raise RuntimeError(f"no survey definition is shipped for {FISCAL_YEAR}")
    definition = padded_definition(shipped.definition, PADDING_QUESTIONS)
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-survey-") as tmp:
        folder = Path(tmp)
        path, roster, columns = whole_survey_nationwide_xlsx(folder, definition, rows=ROWS)
        size = path.stat().st_size
        imports, baselines, calamines, reads, surveys = [], [], [], [], []
        responses = assessments = 0
        for run in range(max(1, ctx.repeat)):
            baselines.append(_timed(lambda: _openpyxl_cells(path)))
            calamines.append(_timed(lambda: _calamine_cells(path)))
            reads.append(_timed(lambda: read_workbook(path)))
            surveys.append(
                _timed(
                    lambda: read_survey(path, catalog=catalog, roster=roster, definition=definition)
                )
            )
            workspace = _fresh_store(folder / f"store{run}", roster, definition)
            try:
                seconds, responses, assessments = _import(path, roster, workspace)
            finally:
                workspace.close()
            imports.append(seconds)
        cells = _openpyxl_cells(path)
    median = statistics.median
    baseline = median(baselines)
    runs = ", ".join(f"{s:.2f}" for s in imports)
    name = f"survey import, {ROWS:,} rows × {columns} columns (whole survey)"
    return [
        Row(
            name,
            median(imports),
            target_s=TARGET_S,
            baseline_s=baseline,
            detail=(
                f"{size / 1e6:.1f} MB Forms export, {len(definition.questions)} questions "
                f"(R6's 66 + {PADDING_QUESTIONS} synthetic); read, mapped, planned and "
                f"{responses:,} responses + {assessments:,} assessments written in one "
                f"transaction; median of {ctx.repeat} runs ({runs} s)"
            ),
        ),
        Row(
            "survey import baseline: openpyxl read-only over every cell",
            baseline,
            baseline_s=baseline,
            detail=f"{cells:,} cells; median of {ctx.repeat} runs",
        ),
        Row(
            "survey import: python-calamine over every cell",
            median(calamines),
            baseline_s=baseline,
            detail=f"the same {cells:,} cells as Python values; median of {ctx.repeat} runs",
        ),
        Row(
            "survey import phase: cells read and checked (read_workbook)",
            median(reads),
            baseline_s=baseline,
            detail="zip checks, python-calamine's values made openpyxl's, the formula scan",
        ),
        Row(
            "survey import phase: read, mapped and parsed (read_survey)",
            median(surveys),
            baseline_s=baseline,
            detail="read_workbook + header search, column mapping, every answer parsed",
        ),
    ]


if __name__ == "__main__":
    run_alone(survey_import, prog="python -m bench.survey_import", repeat=3)

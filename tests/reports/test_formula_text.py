"""Issue 17 finding 10: text that a spreadsheet would run stays text in the exported workbook.

Written as a string, a title like ``=1+1`` runs nothing when the workbook opens, but editing the
cell or saving the sheet as CSV made it live; Excel's quote prefix on the cell keeps it text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from dxdesk.reports.formula_text import csv_text, looks_like_formula
from dxdesk.reports.xlsx_export import (
    ASSESSMENTS_SHEET,
    ENGAGEMENTS_SHEET,
    FOLLOW_UPS_SHEET,
    INTERVIEWS_SHEET,
    export_xlsx,
)
from dxdesk.services.workspace import Workspace

WAKAYAMA = "302015"
RISKY = ["=1+1", "+81 73 000 0000", "-x", "@SUM(A1:A2)", "\t=1+1", "＝1+1"]
PLAIN = ["窓口BPRの相談", "1+1=2", "メモ -x", "a@example.jp", "'quoted"]


@pytest.mark.parametrize("text", RISKY)
def test_formula_like_text_is_recognised(text: str) -> None:
    assert looks_like_formula(text)
    assert csv_text(text) == "'" + text


@pytest.mark.parametrize("text", [*PLAIN, ""])
def test_ordinary_text_is_not(text: str) -> None:
    assert not looks_like_formula(text)
    assert csv_text(text) == text


def _cells(path: Path) -> dict[str, list[tuple[object, str, bool]]]:
    """Every data cell of every sheet: its value, data type and quote prefix."""
    wb = load_workbook(path)
    return {
        sheet.title: [
            (cell.value, cell.data_type, bool(cell.quotePrefix))
            for row in sheet.iter_rows(min_row=2)
            for cell in row
            if cell.value is not None
        ]
        for sheet in wb.worksheets
    }


def _seed(ws: Workspace, texts: list[str]) -> None:
    for text in texts:
        visit = ws.engagements.add(
            {"municipality": WAKAYAMA, "date": "2025-04-01", "title": text, "notes": text}
        )
        ws.interviews.add({"engagement": visit["id"], "interviewee": text, "notes": text})
        ws.follow_ups.add({"municipality": WAKAYAMA, "description": text, "owner": text})
        ws.assessments.add(
            {"municipality": WAKAYAMA, "fiscal_year": "R6", "assessor": text, "scores": {}}
        )


def test_every_formula_like_cell_in_every_sheet_keeps_its_text_and_a_quote_prefix(
    workspace: Workspace, tmp_path: Path
) -> None:
    _seed(workspace, RISKY + PLAIN)
    path = tmp_path / "out.xlsx"
    export_xlsx(workspace, path)
    cells = _cells(path)
    for sheet in (ENGAGEMENTS_SHEET, INTERVIEWS_SHEET, FOLLOW_UPS_SHEET, ASSESSMENTS_SHEET):
        for value, data_type, quoted in cells[sheet]:
            if isinstance(value, str) and looks_like_formula(value):
                assert data_type == "s" and quoted, (sheet, value)
            else:
                assert not quoted, (sheet, value)
        marked = [v for v, _, quoted in cells[sheet] if quoted]
        assert marked, sheet
    engagement_values = [v for v, _, _ in cells[ENGAGEMENTS_SHEET]]
    for text in RISKY:
        assert text in engagement_values  # the notes column keeps the text as written

"""One rounding rule for 得点率 (half up) on every surface: 46/78 = 58.97 % reads 59 % on the
report's first page, in the level suggestion's wording (on paper and from the rule), and the
export holds the exact ratio under a whole-percent format that shows the same 59 %."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.level_rule import load_level_rule, suggest_level
from dxdesk.domain.percent import format_percent
from dxdesk.reports.assessment import write_assessment_report
from dxdesk.reports.xlsx_export import ASSESSMENTS_SHEET, export_xlsx
from dxdesk.services.workspace import Workspace, open_workspace
from tests.reports.pdf_tools import pdf_text, require_poppler, squash

WAKAYAMA = "302015"


def scores_46_of_78() -> dict[str, int]:
    """2 for every national item, 3 for 0-1, and D1, D3 and D7 present: 46 of 78 points."""
    catalog = load_catalog()
    scores = {i.code: 2 for i in catalog.items if not i.code.startswith("D")}
    scores.update({"0-1": 3, "D1": 3, "D3": 3, "D7": 3})
    scores.update(dict.fromkeys(("D2", "D4", "D5", "D6", "D8"), 0))
    assert sum(scores.values()) == 46 and catalog.max_total == 78
    return scores


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def test_the_rule_words_46_of_78_as_59_percent() -> None:
    catalog = load_catalog()
    suggestion = suggest_level(load_level_rule(), catalog, scores_46_of_78())
    assert suggestion.level == 3
    assert suggestion.reasons[0] == "得点率 59%（基準 50% 以上）"
    assert suggestion.reasons[-1] == "4 共創 に届かない理由: 得点率 59%（基準 70% 以上）"
    assert format_percent(Fraction(46, 78)) == "59%"


def test_the_report_says_59_percent_on_page_one_and_in_the_suggestion(
    ws: Workspace, tmp_path: Path
) -> None:
    require_poppler()
    ws.assessments.add({"municipality": WAKAYAMA, "fiscal_year": 2025, "scores": scores_46_of_78()})
    text = squash(pdf_text(write_assessment_report(ws, WAKAYAMA, 2025, tmp_path / "a.pdf")))
    assert "得点率59%" in text  # page 1's table
    assert "県平均の得点率59%" in text  # the only one assessed
    assert "得点率59%（基準50%以上）" in text  # the level suggestion
    assert "得点率59%（基準70%以上）" in text
    assert "58%" not in text


def test_the_export_holds_the_exact_ratio_shown_as_a_whole_percent(
    ws: Workspace, tmp_path: Path
) -> None:
    ws.assessments.add({"municipality": WAKAYAMA, "fiscal_year": 2025, "scores": scores_46_of_78()})
    export_xlsx(ws, tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx")[ASSESSMENTS_SHEET]
    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("得点率") + 1)
    assert cell.value == pytest.approx(46 / 78, abs=1e-12)  # not 0.5897, not "59%"
    assert cell.number_format == "0%"  # Excel rounds half away from zero: 59 %

"""A survey answer sheet saved as .ods by LibreOffice imports as the .xlsx it came from does.

The fixtures: ``dxdesk survey-template --fiscal-year R6`` (the shipped definition's 66 questions:
scored, single, multiple, yes/no, number, date and text), filled with openpyxl for eight
municipalities (each type, varied by row; one answered only its first ten questions; the
respondent and the day answered) and saved as tests/fixtures/survey-r6-answers.xlsx; then
``soffice --headless --convert-to ods`` of that file (LibreOffice 7.4) gave survey-r6-answers.ods.
Each is imported with ``dxdesk import-survey`` into a data folder of its own.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from dxdesk.cli.main import main
from dxdesk.domain.roster import load_roster
from dxdesk.imports.workbook import read_workbook
from dxdesk.services.survey_responses import responses_for_year
from dxdesk.services.workspace import open_workspace

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
XLSX = FIXTURES / "survey-r6-answers.xlsx"
ODS = FIXTURES / "survey-r6-answers.ods"
CODES = [m.code for m in load_roster()]


def _import(path: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """What ``dxdesk import-survey`` stored from ``path``: per municipality, its survey
    assessment (year, day, scores) and its response (every answer, who, when). (The
    assessment's assessor is the file's name, which differs by design.)"""
    try:
        code = main(["--data-dir", str(data), "import-survey", str(path)])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert "8 件のアセスメントを書き込みました" in out
    ws = open_workspace(data)
    try:
        assessments = {
            str(a["municipality"]): (a["fiscal_year"], a["assessed_on"], a["scores"])
            for a in ws.assessments.list_records()
            if a["method"] == "survey"
        }
        responses = {
            r.municipality: (r.respondent, r.answered_on, r.answers)
            for r in responses_for_year(ws.store, 2024)
        }
    finally:
        ws.close()
    return {"assessments": assessments, "responses": responses}


def test_the_fixture_is_an_opendocument_spreadsheet_by_its_content() -> None:
    assert (read_workbook(ODS).kind, read_workbook(XLSX).kind) == ("ods", "xlsx")


def test_the_ods_imports_the_same_scores_and_answers_as_the_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from_xlsx = _import(XLSX, tmp_path / "xlsx", capsys)
    from_ods = _import(ODS, tmp_path / "ods", capsys)
    assert from_ods == from_xlsx
    # And what they both hold is the filled sheet, not two empty imports alike.
    assert sorted(from_xlsx["assessments"]) == sorted(CODES[:8])
    year, assessed_on, scores = from_xlsx["assessments"][CODES[0]]
    assert (year, assessed_on) == (2024, "2024-07-01")
    assert len(scores) >= 20 and set(scores.values()) <= {0, 1, 2, 3}
    respondent, answered_on, answers = from_xlsx["responses"][CODES[1]]
    assert (respondent, answered_on, len(answers)) == ("中村 花子", date(2024, 7, 4), 66)
    kinds = {type(v) for r in from_xlsx["responses"].values() for v in r[2].values()}
    assert kinds == {int, float, str, bool, list}  # numbers, texts and dates, yes/no, multiple
    assert len(from_xlsx["responses"][CODES[5]][2]) == 9  # the one left mostly unanswered

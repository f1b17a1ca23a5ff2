"""The KPI report's 計画と実績 for a fiscal year, made by the CLI and read back from the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.services.programme_plan_edits import save_programme_plan
from dxdesk.services.workspace import open_workspace
from tests.reports.pdf_tools import require_poppler, squash, text_lines

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"


def _seed(data: Path) -> None:
    ws = open_workspace(data)
    try:
        scheme = "national_scheme"
        for code, day, name, status in [
            (WAKAYAMA, "2025-06-02", "management_finance", "held"),
            (WAKAYAMA, "2025-08-02", "management_finance", "held"),
            (KAINAN, "2025-08-03", "informatization_advisor", "held"),
            (KAINAN, "2025-12-03", "management_finance", "planned"),
        ]:
            ws.engagements.add(
                {
                    "municipality": code,
                    "date": day,
                    "title": "国の制度",
                    "type": scheme,
                    "scheme": name,
                    "status": status,
                }
            )
        ws.events.add(
            {
                "type": "regional_consultation",
                "date": "2025-06-20",
                "title": "地域別よろず相談（海草）",
                "region": "海草",
                "attendance": {WAKAYAMA: 3, KAINAN: 2},
            }
        )
        ws.events.add(
            {
                "type": "joint_training",
                "date": "2025-09-01",
                "title": "合同研修（中止）",
                "status": "cancelled",
                "attendance": {HASHIMOTO: 7},
            }
        )
        save_programme_plan(
            ws.store,
            2025,
            {
                "regional_consultation": 2,
                "joint_training": 1,
                "scheme.management_finance": 5,
                "scheme.informatization_advisor": 3,
            },
        )
    finally:
        ws.close()


def test_cli_kpi_report_shows_the_years_plan_against_what_was_held(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_poppler()
    data = tmp_path / "data"
    _seed(data)
    pdf = tmp_path / "kpi.pdf"
    args = ["--data-dir", str(data), "report", "kpi", "--fiscal-year", "R7", "-o", str(pdf)]
    assert main(args) == 0
    assert "PDF を作りました" in capsys.readouterr().out
    lines = [squash(line) for line in text_lines(pdf)]
    text = "".join(lines)
    assert squash("計画と実績（R7年度）") in text
    assert squash("国の制度: 2団体3件（計画 8件）") in text  # the planned one is not a use
    assert squash("合同の場 1回: 2市町村5名が参加") in text  # the cancelled training not counted
    # Table rows as drawn: label, held / plan, planned, cancelled (then bodies and people).
    assert squash("地域別よろず相談 1 / 14（未達） 0 0 2 5") in lines
    assert squash("合同研修 0 / 1（未達） 0 1 0 0") in lines
    assert squash("海草 1 / 2（未達） 0 0") in lines
    assert squash("経営・財務マネジメント強化事業 1 2 / 5（未達）") in lines
    assert squash("地域情報化アドバイザー派遣 1 1 / 3（未達）") in lines

    other = tmp_path / "r6.pdf"
    assert main([*args[:-4], "--fiscal-year", "2024", "-o", str(other)]) == 0
    r6 = squash("".join(text_lines(other)))
    assert squash("計画と実績（R6年度）") in r6
    assert squash("国の制度: 0団体0件（計画なし）") in r6

"""The assessment report, the batch of every municipality's, and the KPI report, read back with
poppler's tools; and their CLI commands."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.progress import Cancelled, CancelToken
from dxdesk.reports.assessment import write_assessment_report
from dxdesk.reports.assessment_data import assessment_report
from dxdesk.reports.batch import write_all_assessment_reports
from dxdesk.reports.document import ReportError
from dxdesk.reports.kpi import write_kpi_report
from dxdesk.services.workspace import Workspace, open_workspace
from tests.reports.pdf_tools import page_count, pdf_fonts, pdf_text, require_poppler, squash

WAKAYAMA, KAINAN, KIMINO = "302015", "302023", "303046"  # 海草 region: all three
HASHIMOTO = "302031"  # 伊都


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    require_poppler()
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def _scores(value: int) -> dict[str, int]:
    """``value`` for every national item; D items (0 or 3) get 3 from a value of 2 up."""
    return {
        item.code: value if value in item.scale.values else (3 if value >= 2 else 0)
        for item in load_catalog().items
    }


def _assess(ws: Workspace, code: str, year: int, scores: dict[str, int]) -> None:
    ws.assessments.add({"municipality": code, "fiscal_year": year, "scores": scores})


def test_the_report_compares_with_the_prefecture_and_the_region(
    ws: Workspace, tmp_path: Path
) -> None:
    _assess(ws, WAKAYAMA, 2024, _scores(1))
    _assess(ws, WAKAYAMA, 2025, {**_scores(2), "D1": 3, "0-1": 0})
    _assess(ws, KAINAN, 2025, _scores(1))
    _assess(ws, HASHIMOTO, 2025, _scores(3))
    report = assessment_report(ws, WAKAYAMA, 2025)
    line = {i.code: i for i in report.items}
    assert line["0-1"].prefecture == pytest.approx((0 + 1 + 3) / 3)
    assert line["0-1"].region == pytest.approx((0 + 1) / 2)  # 橋本市 is in 伊都, not 海草
    assert line["0-1"].previous == 1 and report.previous_year == 2024
    assert report.challenges[0].code == "0-1"
    # Every D item is 3 here against a prefecture average of 2: the first three by code.
    assert [i.code for i in report.strengths] == ["D1", "D2", "D3"]
    assert [i.against_prefecture for i in report.strengths] == pytest.approx([1.0, 1.0, 1.0])

    path = write_assessment_report(ws, WAKAYAMA, 2025, tmp_path / "a.pdf")
    text = squash(pdf_text(path))
    for expected in (
        "和歌山市",
        "アセスメント報告",
        "令和7年度",
        "県平均",
        "海草平均",
        "令和6年度",
    ):
        assert squash(expected) in text
    assert "未同期の変更あり" in text  # nothing was synced in this store
    assert [f["name"] for f in pdf_fonts(path)] and all(
        f["emb"] == "yes" and f["sub"] == "yes" for f in pdf_fonts(path)
    )
    assert page_count(path) >= 1


def test_the_assessment_on_screen_is_the_one_reported(ws: Workspace) -> None:
    _assess(ws, KIMINO, 2025, _scores(3))
    older = ws.assessments.add(
        {
            "municipality": KIMINO,
            "fiscal_year": 2025,
            "scores": _scores(1),
            "assessed_on": "2025-04-01",
        }
    )
    ws.assessments.add(
        {
            "municipality": KIMINO,
            "fiscal_year": 2025,
            "scores": {**_scores(3), "0-1": 2},
            "assessed_on": "2025-10-01",
        }
    )
    assert assessment_report(ws, KIMINO, 2025).record["scores"]["0-1"] == 2  # the latest
    chosen = assessment_report(ws, KIMINO, 2025, assessment_id=older["id"])
    assert chosen.record["id"] == older["id"] and chosen.items[0].prefecture == 1


def test_no_previous_year_says_so_instead_of_failing(ws: Workspace, tmp_path: Path) -> None:
    _assess(ws, KIMINO, 2025, _scores(2))
    path = write_assessment_report(ws, KIMINO, 2025, tmp_path / "k.pdf")
    assert squash("前年度のアセスメントはありません") in squash(pdf_text(path))


def test_a_year_without_an_assessment_is_a_plain_error(ws: Workspace, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="アセスメントがありません"):
        write_assessment_report(ws, KIMINO, 2025, tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()


def test_all_reports_in_one_step_with_progress_and_cancel(ws: Workspace, tmp_path: Path) -> None:
    for code in (WAKAYAMA, KAINAN, HASHIMOTO):
        _assess(ws, code, 2025, _scores(2))
    steps: list[tuple[int, int]] = []
    result = write_all_assessment_reports(
        ws, 2025, tmp_path, progress=lambda done, total: steps.append((done, total))
    )
    assert sorted(p.name for p in result.written) == sorted(
        f"アセスメント報告_2025_{c}_{n}.pdf"
        for c, n in ((WAKAYAMA, "和歌山市"), (KAINAN, "海南市"), (HASHIMOTO, "橋本市"))
    )
    assert len(result.skipped) == 27 and steps[-1] == (30, 30)
    for path in result.written:
        assert pdf_text(path).strip()

    token = CancelToken()
    out = tmp_path / "cancelled"
    out.mkdir()

    def stop_after_first(done: int, total: int) -> None:
        if done >= 1:
            token.cancel()

    with pytest.raises(Cancelled):
        write_all_assessment_reports(ws, 2025, out, progress=stop_after_first, cancel=token)
    left = list(out.iterdir())
    assert len(left) == 1 and left[0].name.endswith(".pdf") and pdf_text(left[0]).strip()


def test_kpi_report_counts_levels_against_targets(ws: Workspace, tmp_path: Path) -> None:
    ws.assessments.add(
        {
            "municipality": WAKAYAMA,
            "fiscal_year": 2025,
            "scores": _scores(3),
            "level": 4,
        }
    )
    path = write_kpi_report(ws, tmp_path / "kpi.pdf")
    text = squash(pdf_text(path))
    assert squash("DX推進支援 KPI 報告") in text
    assert squash("1 / 12（未達）") in text  # one 共創 against the R7 target of 12
    assert squash("項目ごとの得点率 令和7年度") in text


def test_cli_assessment_all_and_kpi(
    ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _assess(ws, KAINAN, 2025, _scores(1))
    data = str(ws.store.data_dir)
    ws.close()
    one = tmp_path / "one.pdf"
    assert (
        main(
            [
                "--data-dir",
                data,
                "report",
                "assessment",
                "海南市",
                "--fiscal-year",
                "R7",
                "-o",
                str(one),
            ]
        )
        == 0
    )
    assert "海南市" in pdf_text(one)
    out = tmp_path / "all"
    out.mkdir()
    assert (
        main(
            [
                "--data-dir",
                data,
                "report",
                "assessment",
                "--all",
                "--fiscal-year",
                "2025",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    assert "30 / 30" in captured.err and "1 件の PDF" in captured.out
    assert main(["--data-dir", data, "report", "kpi", "-o", str(tmp_path / "k.pdf")]) == 0
    assert (
        main(
            [
                "--data-dir",
                data,
                "report",
                "assessment",
                "東京都",
                "--fiscal-year",
                "2025",
                "-o",
                str(tmp_path / "x.pdf"),
            ]
        )
        == 2
    )
    assert capsys.readouterr().err.count("\n") == 1

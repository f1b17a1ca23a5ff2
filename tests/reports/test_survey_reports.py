"""The survey comparison report (every question of the municipality's survey, in order, its
answer beside the prefecture's and the region's figures), the secretariat's overview (PDF and
workbook) and `dxdesk report survey`, read back with poppler and openpyxl."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dxdesk.cli.main import main
from dxdesk.domain.errors import DomainError
from dxdesk.reports.survey_comparison import write_survey_comparison
from dxdesk.reports.survey_workbook import JAPANESE_DATE_FORMAT, write_survey_workbook
from dxdesk.services.workspace import Workspace, open_workspace
from tests.reports.pdf_tools import pdf_fonts, pdf_text, require_poppler, squash
from tests.reports.survey_answers import (
    ANSWERS,
    HASHIMOTO,
    QUESTIONS,
    TANABE,
    WAKAYAMA,
    add_response,
    add_survey,
    load_definition,
    question,
)

# The year's earlier definition, which 田辺市 answered under: a question since dropped.
OLDER = (
    question("Q0-1", 1, "DX推進体制", "旧: 庁内の推進会議はありますか", "single", choices="setup"),
    *QUESTIONS[:2],
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("survey") / "data"
    ws = open_workspace(data_dir)
    try:
        older = load_definition(ws, OLDER, title="旧版")
        add_response(ws, TANABE, {"Q0-1": "c", "Q1-1": 2, "Q1-2": "a"}, older)
        add_survey(ws)  # the year's definition now, and four answers under it
    finally:
        ws.close()
    return data_dir


@pytest.fixture
def ws(data_dir: Path) -> Iterator[Workspace]:
    workspace = open_workspace(data_dir)
    yield workspace
    workspace.close()


def test_the_report_shows_every_question_in_order_with_the_answer_and_the_figures(
    ws: Workspace, tmp_path: Path
) -> None:
    require_poppler()
    path = write_survey_comparison(ws, WAKAYAMA, 2024, tmp_path / "r.pdf")
    text = squash(pdf_text(path))
    assert "和歌山市調査結果の比較レポート" in text and "令和6年度（2024年度）" in text
    assert "県全体5/30市町村" in text  # n: the five that answered
    places = [text.index(squash(f"{q['code']} {q['text']}")) for q in QUESTIONS]
    assert places == sorted(places)
    assert (
        text.index("ページ1DX推進体制") < places[0] < text.index("ページ2くらしづくり") < places[4]
    )
    # Its answers, by their labels: a score, one choice, two choices, a number, yes, a date, text.
    for shown in ("貴団体3推進している", "専任の部署●", "窓口●", "防災●", "12人", "はい●"):
        assert shown in text, shown
    assert "令和5年3月31日" in text and "研修の機会を増やしてほしい。" in text
    # The prefecture's figures: 専任 chosen by 和歌山市 and 田辺市 (under the older definition).
    assert "専任の部署●2（40%）" in text
    assert "兼任の担当2（40%）" in text
    assert "県全体平均1.6点（得点率53%）" in text  # (3 + 2 + 0 + 1 + 2) / 5 of 3
    # Median and the middle half of 12, 3, 5, 1 (田辺市 not asked); no min-max in a hand-out;
    # the region (海草: 海南市 besides) too few to show.
    assert "12人4人2.5〜6.75人4（無回答0）管内の回答が少ないため表示しません" in text
    assert "1〜12" not in text and "海草管内（2）" not in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(path))


def test_a_response_under_an_older_definition_shows_its_own_questions(
    ws: Workspace, tmp_path: Path
) -> None:
    require_poppler()
    text = squash(pdf_text(write_survey_comparison(ws, TANABE, 2024, tmp_path / "t.pdf")))
    assert "Q0-1旧:庁内の推進会議はありますか" in text
    assert "体制なし●" in text  # its answer to the dropped question
    assert "Q1-3" not in text  # a question its definition did not ask


def test_a_municipality_without_a_response_is_refused_by_name_and_year(
    ws: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(DomainError, match="有田市 の令和6年度（2024年度）の調査の回答がありません"):
        write_survey_comparison(ws, "302040", 2024, tmp_path / "none.pdf")
    assert list(tmp_path.iterdir()) == []


def test_the_overview_workbook_has_labels_per_municipality_and_the_distributions(
    ws: Workspace, tmp_path: Path
) -> None:
    path = write_survey_workbook(ws, 2024, tmp_path / "o.xlsx")
    book = load_workbook(path)
    answers = book["回答一覧"]
    header = [c.value for c in answers[1]]
    assert header[:6] == ["市町村コード", "市町村名", "振興局", "回答", "回答者", "回答日"]
    # The year's definition's questions, then one only 田辺市's older definition asked.
    assert header[6:] == [
        *(f"{q['code']} {q['text']}" for q in QUESTIONS),
        "Q0-1 旧: 庁内の推進会議はありますか",
    ]
    rows = {row[0]: row for row in answers.iter_rows(min_row=2, values_only=True)}
    assert len(rows) == 30
    wakayama = rows[WAKAYAMA]
    assert wakayama[3] == "回答済み"
    assert list(wakayama[6:]) == [
        3,
        "専任の部署",
        "窓口;防災",
        12,
        "はい",
        datetime(2023, 3, 31),  # a date Excel sorts, shown in 和暦
        ANSWERS[WAKAYAMA]["Q2-3"],
        None,  # Q0-1: not asked of it
    ]
    date_cell = answers.cell(row=2 + list(rows).index(WAKAYAMA), column=12)
    assert date_cell.number_format == JAPANESE_DATE_FORMAT
    assert rows[TANABE][13] == "体制なし"
    assert rows["302040"][3] == "未回答"
    assert answers.freeze_panes == "C2"
    summary = book["集計"]
    assert summary.freeze_panes == "A2"
    lines = {(r[0], r[5]): (r[6], r[7]) for r in summary.iter_rows(min_row=2, values_only=True)}
    assert lines[("Q1-2", "兼任の担当")] == (2, pytest.approx(0.4))
    assert lines[("Q1-3", "窓口")] == (2, pytest.approx(0.5))  # of the four asked it
    assert lines[("Q1-4", "中央値（人）")][0] == 4
    assert summary.column_dimensions["D"].width > 8


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    try:
        status = main(["--data-dir", str(data_dir), *args])
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_command_writes_every_answering_municipality_and_names_the_rest(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    require_poppler()
    out_dir = tmp_path / "調査"
    status, out, err = run(
        capsys,
        data_dir,
        "report",
        "survey",
        "--all",
        "--fiscal-year",
        "R6",
        "-o",
        str(out_dir),
        "--confidential",
    )
    assert status == 0, err
    assert "\r" not in err and "7 / 7 件\n" in err  # lines in a log, not carriage returns
    names = sorted(str(p.relative_to(out_dir)) for p in out_dir.rglob("*.*"))
    assert names == sorted(
        [
            "事務局用/調査_全体_2024.pdf",
            "事務局用/調査_全体_2024.xlsx",
            "調査比較_2024_302015_和歌山市.pdf",
            "調査比較_2024_302023_海南市.pdf",
            "調査比較_2024_302031_橋本市.pdf",
            "調査比較_2024_302066_田辺市.pdf",
            "調査比較_2024_303917_みなべ町.pdf",
        ]
    )
    assert "未回答の市町村（25）" in err and "有田市" in err and "和歌山市" not in err
    overview = squash(pdf_text(out_dir / "事務局用" / "調査_全体_2024.pdf"))
    assert "取扱注意" in overview and "全市町村" in overview
    assert "取扱注意" in squash(pdf_text(out_dir / "調査比較_2024_302031_橋本市.pdf"))
    assert "兼任の担当2（40%）" in overview and "海南市、橋本市" in overview  # who chose it
    assert "みなべ町特になし" in overview  # free text per municipality
    assert "以前の定義にだけある設問Q0-1旧:庁内の推進会議はありますか" in overview

    status, out, _err = run(
        capsys,
        data_dir,
        "report",
        "survey",
        "橋本",
        "--fiscal-year",
        "2024",
        "-o",
        str(tmp_path / "h.pdf"),
    )
    assert status == 0 and "PDF を作りました" in out
    handout = squash(pdf_text(tmp_path / "h.pdf"))
    assert "橋本市調査結果の比較レポート" in handout and "取扱注意" not in handout
    assert HASHIMOTO in [p.name.split("_")[2] for p in out_dir.glob("調査比較_*")]


def test_the_command_writes_nothing_for_a_year_without_answers(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _out, err = run(
        capsys,
        data_dir,
        "report",
        "survey",
        "--all",
        "--fiscal-year",
        "2023",
        "-o",
        str(tmp_path / "none"),
    )
    assert status != 0 and "令和5年度（2023年度）の調査の回答が一つもありません" in err
    assert list(tmp_path.iterdir()) == []
    status, _out, err = run(
        capsys, data_dir, "report", "survey", "--fiscal-year", "2024", "-o", str(tmp_path / "x.pdf")
    )
    assert status != 0 and "--all" in err

"""Nothing private leaves in a hand-out: a region's figures only from at least 3 municipalities
besides the reader, a number's prefecture figures as the median and the middle half (never
the ends), a value the definition lacks folded into one row; and the prefecture's figures are
made only in a folder that holds every municipality's answers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.domain.errors import DomainError
from dxdesk.models.store import META_SYNC_ROLE
from dxdesk.reports.survey_comparison import write_survey_comparison
from dxdesk.reports.survey_data import NOT_WHOLE_PREFECTURE
from dxdesk.services.workspace import Workspace, open_workspace
from tests.reports.pdf_tools import pdf_text, require_poppler, squash
from tests.reports.survey_answers import ANSWERS, KAINAN, MINABE, add_response, load_definition

KINOKAWA, IWADE = "302082", "302091"  # 那賀振興局: these two only
GOBO, MIHAMA, HIDAKA = "302058", "303810", "303828"  # with みなべ町, four of 日高


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("privacy") / "data"
    ws = open_workspace(data_dir)
    try:
        defined = load_definition(ws)
        for code, answers in ANSWERS.items():
            stray = {"Q1-2": "旧選択肢"} if code == KAINAN else {}  # kept from an older list
            add_response(ws, code, {**answers, **stray}, defined)
        add_response(ws, KINOKAWA, {"Q1-1": 1, "Q1-2": "c", "Q1-4": 568}, defined)
        add_response(ws, IWADE, {"Q1-1": 2, "Q1-2": "a", "Q1-4": 112}, defined)
        for code in (GOBO, MIHAMA, HIDAKA):
            add_response(ws, code, {"Q1-1": 2, "Q1-2": "b", "Q1-4": 7}, defined)
    finally:
        ws.close()
    return data_dir


@pytest.fixture
def ws(data_dir: Path) -> Iterator[Workspace]:
    workspace = open_workspace(data_dir)
    yield workspace
    workspace.close()


def test_a_two_municipality_region_shows_no_region_figures(ws: Workspace, tmp_path: Path) -> None:
    require_poppler()
    text = squash(pdf_text(write_survey_comparison(ws, IWADE, 2024, tmp_path / "iwade.pdf")))
    assert "那賀管内（" not in text  # no region column in any distribution
    assert (
        text.count("那賀管内:管内の回答が少ないため表示しません") == 3
    )  # each choice question (a score and a number say it in their row)
    assert "568" not in text  # 紀の川市's number cannot be read off
    # The prefecture: median and middle half of 112, 568, 12, 3, 5, 1, 7, 7, 7 (9 answers).
    assert "112人7人5〜12人9（無回答0）管内の回答が少ないため表示しません" in text
    assert "1〜568" not in text
    assert "その他（定義にない値）1（11%）" in text and "旧選択肢" not in text
    assert "振興局管内の集計は貴団体のほかに管内の3団体以上が回答した設問だけ" in text


def test_a_region_with_three_others_is_shown(ws: Workspace, tmp_path: Path) -> None:
    require_poppler()
    text = squash(pdf_text(write_survey_comparison(ws, MINABE, 2024, tmp_path / "minabe.pdf")))
    assert "日高管内（4）" in text  # みなべ町 and three more
    assert "日高管内平均1.8点（得点率58%）" in text  # (1 + 2 + 2 + 2) / 4 of 3
    assert "日高管内:管内の回答が少ないため表示しません" in text  # Q1-3: no other answered


def test_an_advisors_folder_makes_no_prefecture_figures(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = open_workspace(data_dir)
    try:
        ws.store.set_meta(META_SYNC_ROLE, "advisor")
        with pytest.raises(DomainError, match=NOT_WHOLE_PREFECTURE):
            write_survey_comparison(ws, IWADE, 2024, tmp_path / "a.pdf")
        out = str(tmp_path / "all")
        args = ["report", "survey", "--all", "--fiscal-year", "R6", "-o", out]
        status = main(["--data-dir", str(data_dir), *args])
        assert status != 0 and NOT_WHOLE_PREFECTURE in capsys.readouterr().err
        assert list(tmp_path.iterdir()) == []
    finally:
        ws.store.set_meta(META_SYNC_ROLE, "coordinator")  # sees everything again
        ws.close()

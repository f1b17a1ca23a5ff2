"""The visit summary in two editions, read back with poppler: 配布用 (the default, to hand to
the municipality) leaves out the advisor's メモ, the interview notes and the sync state; 内部用
has everything, with 取扱注意 on every page."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxdesk.reports.visit import write_visit_report
from dxdesk.services.workspace import Workspace, open_workspace
from tests.reports.pdf_tools import page_texts, pdf_text, require_poppler, squash
from tests.reports.test_visit_report import MADE_AT, NOTES, add_visit, mark_all_synced, run_cli

INTERVIEW = "職員の負担感が大きいのは転入の手続き。"
SHARED = (  # what both editions show
    "相談記録",
    "和歌山市",
    "令和7年6月12日（木）",
    "訪問",
    "対面",
    "窓口BPRの相談",
    "情報政策課田中課長、市民課鈴木",
    "窓口BPR・庁内BPR、DX人材育成・確保",
    "書かない窓口の検討を始める。",
    "手続き一覧の様式を送る",
    "庁内説明会の日程を調整する",
)
PRIVATE = (  # what only the internal edition shows
    *(sentence for sentence in NOTES.replace("\n", "").split("。") if sentence),
    "メモ",
    "ヒアリング",
    "田中（情報政策課長）",
    INTERVIEW,
    "同期",
    "取扱注意",
)


@pytest.fixture
def poppler() -> None:
    require_poppler()


def _text(pdf: Path) -> str:
    return squash(pdf_text(pdf))


@pytest.mark.usefixtures("poppler")
def test_the_distribution_edition_holds_nothing_private(
    workspace: Workspace, tmp_path: Path
) -> None:
    visit_id = add_visit(workspace)
    pdf = write_visit_report(workspace, visit_id, tmp_path / "配布用.pdf", made_at=MADE_AT)
    text = _text(pdf)
    for shown in SHARED:
        assert squash(shown) in text, shown
    for private in PRIVATE:
        assert squash(private) not in text, private

    mark_all_synced(workspace)  # nor, once synced, that it is
    synced = _text(write_visit_report(workspace, visit_id, tmp_path / "s.pdf", made_at=MADE_AT))
    assert "同期" not in synced


@pytest.mark.usefixtures("poppler")
def test_the_internal_edition_holds_everything_stamped_on_every_page(
    workspace: Workspace, tmp_path: Path
) -> None:
    visit_id = add_visit(workspace, notes="\n".join([NOTES, *(f"{i}行目" for i in range(120))]))
    pdf = write_visit_report(
        workspace, visit_id, tmp_path / "内部用.pdf", internal=True, made_at=MADE_AT
    )
    text = _text(pdf)
    for shown in (*SHARED, *PRIVATE, "未同期の変更あり", "内部用"):
        assert squash(shown) in text, shown
    pages = page_texts(pdf)
    assert len(pages) >= 2
    assert all("取扱注意" in page for page in pages)
    assert all("未同期の変更あり" in page for page in pages)

    mark_all_synced(workspace)
    synced = write_visit_report(workspace, visit_id, tmp_path / "s.pdf", internal=True)
    assert "同期済み" in pdf_text(synced)


@pytest.mark.usefixtures("poppler")
def test_cli_writes_the_distribution_edition_unless_internal_is_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = tmp_path / "data"
    ws = open_workspace(data_dir)
    try:
        visit_id = add_visit(ws)
    finally:
        ws.close()
    handed, internal = tmp_path / "配布用.pdf", tmp_path / "内部用.pdf"
    status, out, err = run_cli(data_dir, capsys, "report", "visit", visit_id, "-o", str(handed))
    assert status == 0, err
    assert str(handed) in out
    assert INTERVIEW not in _text(handed) and "取扱注意" not in _text(handed)
    args = ("report", "visit", visit_id, "-o", str(internal), "--internal")
    status, out, err = run_cli(data_dir, capsys, *args)
    assert status == 0, err
    assert INTERVIEW in _text(internal) and "取扱注意" in _text(internal)

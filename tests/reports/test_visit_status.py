"""The visit summary of a consultation that is planned (予定) or was cancelled (中止) says so, in
both editions, on every page and under the title, with its times and place: printed, it must
not read as the record of a meeting. A held one prints as before, with its time and place."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxdesk.reports.visit import write_visit_report
from dxdesk.services.workspace import Workspace
from tests.reports.pdf_tools import page_texts, pdf_text, require_poppler, squash
from tests.reports.test_visit_report import MADE_AT, NOTES, add_visit

WHEN = {"start_time": "10:00", "end_time": "11:30", "place": "和歌山市役所 本庁舎3階 会議室"}


@pytest.fixture
def poppler() -> None:
    require_poppler()


def _editions(ws: Workspace, visit_id: str, tmp_path: Path) -> dict[str, str]:
    """The text of both editions (whitespace squashed), by edition."""
    texts = {}
    for edition, internal in (("配布用", False), ("内部用", True)):
        pdf = tmp_path / f"{visit_id}-{edition}.pdf"
        write_visit_report(ws, visit_id, pdf, internal=internal, made_at=MADE_AT)
        texts[edition] = squash(pdf_text(pdf))
    return texts


@pytest.mark.usefixtures("poppler")
@pytest.mark.parametrize(
    ("status", "title", "line"),
    [
        ("planned", "相談記録（予定", "予定（未実施）:まだ実施していない相談の予定です。"),
        ("cancelled", "相談記録（中止", "中止:この相談は実施しませんでした。"),
    ],
    ids=["planned", "cancelled"],
)
def test_a_consultation_not_held_says_so_in_both_editions(
    workspace: Workspace, tmp_path: Path, status: str, title: str, line: str
) -> None:
    visit_id = add_visit(workspace)
    workspace.engagements.update(visit_id, {"status": status, **WHEN})
    texts = _editions(workspace, visit_id, tmp_path)
    for edition, text in texts.items():
        assert title in text, edition
        assert line in text, edition
        assert "実施の記録ではありません" in text, edition
        assert "状態" + ("予定" if status == "planned" else "中止") in text, edition
        assert "時間10:00〜11:30" in text, edition
        assert "場所" + squash(WHEN["place"]) in text, edition
    assert (
        "内部用" not in texts["配布用"]
        and "相談記録（" + title[5:] + "・内部用）" in (texts["内部用"])
    )


@pytest.mark.usefixtures("poppler")
def test_every_page_of_a_long_planned_summary_says_planned(
    workspace: Workspace, tmp_path: Path
) -> None:
    visit_id = add_visit(workspace, notes="\n".join([NOTES, *(f"{i}行目" for i in range(120))]))
    workspace.engagements.update(visit_id, {"status": "planned"})
    pdf = write_visit_report(workspace, visit_id, tmp_path / "p.pdf", internal=True)
    pages = page_texts(pdf)
    assert len(pages) >= 2
    assert all("相談記録（予定・内部用）" in squash(page) for page in pages)
    text = squash(pdf_text(pdf))
    assert "時間" not in text and "場所" not in text  # all day, nowhere named: no empty lines


@pytest.mark.usefixtures("poppler")
def test_a_held_consultation_prints_its_time_place_and_scheme_and_no_status(
    workspace: Workspace, tmp_path: Path
) -> None:
    visit_id = add_visit(workspace)
    workspace.engagements.update(
        visit_id,
        {"start_time": "13:30", "place": "白浜町役場", "type": "national_scheme"}
        | {"scheme": "informatization_advisor"},
    )
    for edition, text in _editions(workspace, visit_id, tmp_path).items():
        assert "時間13:30〜" in text and "場所白浜町役場" in text, edition
        assert "国の制度地域情報化アドバイザー派遣" in text, edition
        assert "状態" not in text.split("概要")[0], edition  # the follow-ups' 状態 column is later
        for not_held in ("予定", "中止", "未実施", "実施の記録ではありません"):
            assert not_held not in text, (edition, not_held)

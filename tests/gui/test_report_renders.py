"""What the print preview asks each report for says which copy it is: the visit's 配布用 or
内部用, another report unstamped or stamped 取扱注意 (a bare bool meant either)."""

from __future__ import annotations

from pathlib import Path

from dxdesk.services.workspace import Workspace
from dxdesk.ui.report_actions import assessment_render, kpi_render, visit_render
from dxdesk.ui.report_preview import Edition
from tests.reports.pdf_tools import pdf_text, require_poppler, squash
from tests.reports.test_visit_report import NOTES, add_visit

WAKAYAMA = "302015"


def _text(path: Path) -> str:
    return squash(pdf_text(path))


def test_the_visit_prints_the_edition_asked_for(workspace: Workspace, tmp_path: Path) -> None:
    require_poppler()
    render = visit_render(workspace, add_visit(workspace))
    handed = tmp_path / "d.pdf"
    assert render(handed, Edition.DISTRIBUTION) == "相談記録_2025-06-12_和歌山市.pdf"
    internal = tmp_path / "i.pdf"
    assert render(internal, Edition.INTERNAL) == "相談記録_内部用_2025-06-12_和歌山市.pdf"
    note = squash(NOTES.splitlines()[0])
    assert note not in _text(handed) and "取扱注意" not in _text(handed)
    assert note in _text(internal) and "取扱注意" in _text(internal)


def test_other_reports_are_stamped_as_their_internal_edition(
    workspace: Workspace, tmp_path: Path
) -> None:
    require_poppler()
    assessment = workspace.assessments.add(
        {"municipality": WAKAYAMA, "fiscal_year": 2025, "scores": {"0-1": 3}}
    )
    for render in (assessment_render(workspace, assessment["id"]), kpi_render(workspace)):
        handed, internal = tmp_path / "d.pdf", tmp_path / "i.pdf"
        render(handed, Edition.DISTRIBUTION)
        render(internal, Edition.INTERNAL)
        assert "取扱注意" not in _text(handed)
        assert "取扱注意" in _text(internal)

"""Every printed document writes dates and fiscal years in 和暦, as official documents do:
令和7年6月12日 and 令和7年度, never 2025年6月12日 or "R7 (2025)" (the screen's form)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import update

from dxdesk.models.tables import AssessmentRow, FollowUpRow
from dxdesk.reports.assessment import write_assessment_report
from dxdesk.reports.kpi import write_kpi_report
from dxdesk.reports.visit import write_visit_report
from dxdesk.services.workspace import Workspace, open_workspace
from tests.reports.pdf_tools import pdf_text, require_poppler, squash

MADE_AT = datetime(2025, 6, 20, 9, 5, tzinfo=timezone(timedelta(hours=9)))
WAKAYAMA = "302015"
WESTERN_DATE = re.compile(r"(19|20)[0-9]{2}年")  # 2025年6月12日, 2025年度
SCREEN_YEAR = re.compile(r"[RH][0-9]+\s*\(")  # R7 (2025)
ISO_DATE = re.compile(r"(19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}")


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    require_poppler()
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def _scores(value: int) -> dict[str, int]:
    return dict.fromkeys(("0-1", "0-3", "1-1", "2-1", "2-3", "3-1"), value)


def _documents(ws: Workspace, root: Path) -> dict[str, str]:
    engagement = ws.engagements.add(
        {
            "municipality": WAKAYAMA,
            "date": "2025-06-12",
            "type": "visit",
            "mode": "対面",
            "title": "窓口BPRの相談",
            "summary": "書かない窓口の検討を始める。",
        }
    )
    ws.follow_ups.add(
        {"engagement": engagement["id"], "description": "様式を送る", "due": "2025-06-30"}
    )
    for year, value in ((2024, 1), (2025, 2)):
        ws.assessments.add(
            {
                "municipality": WAKAYAMA,
                "fiscal_year": year,
                "scores": _scores(value),
                "assessed_on": f"{year}-05-14",
                "level": 1,
            }
        )
    visit = engagement["id"]
    paths = {
        "配布用": write_visit_report(ws, visit, root / "d.pdf", made_at=MADE_AT),
        "内部用": write_visit_report(ws, visit, root / "i.pdf", internal=True, made_at=MADE_AT),
        "アセスメント": write_assessment_report(
            ws, WAKAYAMA, 2025, root / "a.pdf", made_at=MADE_AT
        ),
        "KPI": write_kpi_report(ws, root / "k.pdf", made_at=MADE_AT),
    }
    return {name: pdf_text(path) for name, path in paths.items()}


def test_every_document_writes_dates_and_years_in_wareki(ws: Workspace, tmp_path: Path) -> None:
    documents = _documents(ws, tmp_path)
    for name, text in documents.items():
        assert not WESTERN_DATE.search(text), (name, WESTERN_DATE.search(text))
        assert not SCREEN_YEAR.search(text), (name, SCREEN_YEAR.search(text))
        assert not ISO_DATE.search(text), (name, ISO_DATE.search(text))
        assert "作成 令和7年6月20日 09:05" in text, name
    for edition in ("配布用", "内部用"):
        text = squash(documents[edition])
        assert "令和7年6月12日（木）" in text and "令和7年6月30日" in text
    assessment = squash(documents["アセスメント"])
    assert "アセスメント報告（令和7年度）" in assessment
    assert "実施日:令和7年5月14日" in assessment
    assert "（令和6年度）" in assessment  # the previous year's ratio
    kpi = squash(documents["KPI"])
    assert "項目ごとの得点率令和7年度" in kpi and "項目ごとの得点率令和6年度" in kpi
    assert "令和6年度との差" in kpi


def _store_dates(ws: Workspace, follow_up: str, assessment: str) -> None:
    """What records saved before dates were bounded hold: 1925-06-30, a slip for 2025."""
    slip = date(1925, 6, 30)
    with ws.store.transaction() as session:
        session.execute(update(FollowUpRow).where(FollowUpRow.id == follow_up).values(due=slip))
        session.execute(
            update(AssessmentRow).where(AssessmentRow.id == assessment).values(assessed_on=slip)
        )


def test_an_early_date_never_stops_a_document_printing(ws: Workspace, tmp_path: Path) -> None:
    """A date before 昭和 prints in its era (大正14年); before 明治6年, when Japan took up the
    Gregorian calendar, in 西暦."""
    engagement = ws.engagements.add({"municipality": WAKAYAMA, "date": "2025-06-12"})
    item = ws.follow_ups.add(
        {"engagement": engagement["id"], "description": "様式を送る", "due": "2025-06-30"}
    )
    assessment = ws.assessments.add(
        {"municipality": WAKAYAMA, "fiscal_year": 2025, "scores": _scores(2)}
    )
    _store_dates(ws, item["id"], assessment["id"])
    visit = engagement["id"]
    for internal in (False, True):
        path = write_visit_report(ws, visit, tmp_path / f"{internal}.pdf", internal=internal)
        assert "大正14年6月30日" in squash(pdf_text(path))
    path = write_assessment_report(ws, WAKAYAMA, 2025, tmp_path / "a.pdf", made_at=MADE_AT)
    assert "実施日:大正14年6月30日" in squash(pdf_text(path))

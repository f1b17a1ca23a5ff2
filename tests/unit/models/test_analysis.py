from __future__ import annotations

from typing import Any

import pytest

from dxdesk.services.workspace import Workspace

WAKAYAMA, KAINAN, HASHIMOTO = "302015", "302023", "302031"


def _add(ws: Workspace, municipality: str, fiscal_year: int, **fields: Any) -> dict[str, Any]:
    return ws.assessments.add({"municipality": municipality, "fiscal_year": fiscal_year, **fields})


def _by_code(table: dict[int, dict[str, Any]], fiscal_year: int) -> dict[str, dict[str, Any]]:
    return {row["code"]: row for row in table[fiscal_year]["rows"]}


def test_item_ratios_across_municipalities_and_their_change(workspace: Workspace) -> None:
    _add(workspace, WAKAYAMA, 2023, scores={"0-1": 3, "D1": 0})
    _add(workspace, KAINAN, 2023, scores={"0-1": 1, "D1": 3})
    _add(workspace, WAKAYAMA, 2024, scores={"0-1": 3, "D1": 3})
    _add(workspace, KAINAN, 2024, scores={"0-1": 3, "D1": 3, "0-3": 2})

    table = workspace.analysis.item_ratio_table()

    assert list(table) == [2023, 2024]
    first, second = table[2023], table[2024]
    assert (first["previous_year"], first["assessed"]) == (None, 2)
    assert (second["previous_year"], second["assessed"]) == (2023, 2)
    assert [row["code"] for row in second["rows"]][:3] == ["0-1", "0-3", "1-1"]
    assert len(second["rows"]) == 26

    before, after = _by_code(table, 2023), _by_code(table, 2024)
    assert before["0-1"]["ratio"] == pytest.approx(4 / 6)
    assert before["D1"]["ratio"] == pytest.approx(3 / 6)
    assert before["0-3"]["ratio"] is None  # nobody answered
    assert all(row["change"] is None for row in before.values())  # no year before 2023

    assert after["0-1"]["ratio"] == pytest.approx(1.0)
    assert after["0-1"]["change"] == pytest.approx(1.0 - 4 / 6)
    assert after["D1"]["change"] == pytest.approx(0.5)
    # Only KAINAN answered 0-3: the ratio is of those who answered; no 2023 ratio to compare.
    assert (after["0-3"]["ratio"], after["0-3"]["answered"]) == (pytest.approx(2 / 3), 1)
    assert after["0-3"]["change"] is None
    assert after["0-1"]["answered"] == 2
    assert (after["D1"]["short"], after["D1"]["category"]) == ("講演・研修", "和歌山県独自指標")
    assert after["0-1"]["question"].startswith("基本的な考え方")


def test_only_the_latest_live_assessment_of_a_year_counts(workspace: Workspace) -> None:
    _add(workspace, WAKAYAMA, 2024, assessed_on="2024-06-01", scores={"0-1": 0})  # superseded
    _add(workspace, WAKAYAMA, 2024, assessed_on="2024-11-01", scores={"0-1": 3})
    deleted = _add(workspace, WAKAYAMA, 2024, assessed_on="2025-01-10", scores={"0-1": 1})
    workspace.assessments.delete(deleted["id"])
    # A level recorded alone, later still, must not hide the scores.
    _add(workspace, WAKAYAMA, 2024, assessed_on="2025-02-01", level=3, level_reason="判断")
    # Without dates, the later edit wins.
    _add(workspace, KAINAN, 2024, scores={"0-1": 1})
    _add(workspace, KAINAN, 2024, scores={"0-1": 2})
    # Another year of the same municipality is its own assessment.
    _add(workspace, HASHIMOTO, 2023, scores={"0-1": 0})

    table = workspace.analysis.item_ratio_table()

    assert table[2024]["assessed"] == 2
    assert _by_code(table, 2024)["0-1"]["ratio"] == pytest.approx((3 + 2) / 6)
    assert _by_code(table, 2024)["0-1"]["change"] == pytest.approx(5 / 6)
    assert _by_code(table, 2023)["0-1"]["ratio"] == 0.0


def test_a_year_without_the_year_before_has_no_change(workspace: Workspace) -> None:
    _add(workspace, WAKAYAMA, 2022, scores={"0-1": 1})
    _add(workspace, WAKAYAMA, 2024, scores={"0-1": 3})

    table = workspace.analysis.item_ratio_table()

    assert table[2024]["previous_year"] is None  # 2022 is not the year before 2024
    assert _by_code(table, 2024)["0-1"]["change"] is None


def test_no_assessments_give_no_item_table(workspace: Workspace) -> None:
    assert workspace.analysis.item_ratio_table() == {}


def test_kpi_table_counts_confirmed_levels_against_the_targets(workspace: Workspace) -> None:
    codes = [m["code"] for m in workspace.municipalities.overview(assigned_only=False)]
    reason = {"level_reason": "判断"}
    _add(workspace, WAKAYAMA, 2024, level=2, assessed_on="2024-06-01", **reason)
    _add(workspace, WAKAYAMA, 2024, level=3, assessed_on="2024-11-01", **reason)
    _add(workspace, KAINAN, 2024)  # not confirmed
    for code in codes[:13]:
        _add(workspace, code, 2025, level=4, **reason)
    _add(workspace, codes[13], 2025, level=3, **reason)

    kpi = workspace.analysis.kpi_table()

    assert kpi["fiscal_years"] == [2024, 2025]
    assert kpi["municipalities"] == 30
    assert kpi["confirmed"] == {2024: 1, 2025: 14}
    assert [entry["label"] for entry in kpi["levels"]] == ["4 共創", "3 協働", "2 支援", "1 関与"]
    fy2024, fy2025 = kpi["rows"]
    assert fy2024 == {
        "fiscal_year": 2024,
        "confirmed": 1,
        "counts": {4: 0, 3: 1, 2: 0, 1: 0},
        "targets": {},
        "met": {},
    }
    assert fy2025["counts"] == {4: 13, 3: 1, 2: 0, 1: 0}
    assert fy2025["targets"] == {4: 12, 3: 18}
    assert fy2025["met"] == {4: True, 3: False}


def test_a_target_year_without_confirmed_levels_has_no_counts(workspace: Workspace) -> None:
    kpi = workspace.analysis.kpi_table()

    assert kpi["fiscal_years"] == [2025]
    (row,) = kpi["rows"]
    assert row["counts"] == {4: None, 3: None, 2: None, 1: None}
    assert row["met"] == {4: None, 3: None}
    assert row["confirmed"] == 0


def test_tables_returns_both_from_one_call(workspace: Workspace) -> None:
    _add(workspace, WAKAYAMA, 2024, scores={"0-1": 3}, level=1, level_reason="判断")

    tables = workspace.analysis.tables()

    assert tables == {
        "kpi": workspace.analysis.kpi_table(),
        "item_ratios": workspace.analysis.item_ratio_table(),
    }

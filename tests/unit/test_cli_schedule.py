"""`dxdesk schedule` lists each municipality's cadence, last held, due date and next planned
regular consultation and who is overdue, as text or JSON; a municipality by name or code."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.cli.schedule import schedule_text
from dxdesk.domain.cadence import add_months
from dxdesk.services.workspace import open_workspace

EXIT_USAGE = 2
# The command reads the clock: the records are placed around today.
TODAY = date.today()
HELD = TODAY - timedelta(days=10)
PLANNED = TODAY + timedelta(days=7)
LATE = TODAY - timedelta(days=3)


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    try:
        status = main(["--data-dir", str(data_dir), *args])
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """和歌山市 monthly, held and planned; 海南市 every two months, nothing; 橋本市 no
    cadence, a plan left past its date."""
    data_dir = tmp_path_factory.mktemp("schedule") / "data"
    ws = open_workspace(data_dir)
    try:
        ws.cadences.add({"municipality": "302015", "months": 1})
        ws.cadences.add({"municipality": "302023", "months": 2})
        for code, day, status, start in (
            ("302015", HELD, "held", None),
            ("302015", PLANNED, "planned", "10:00"),
            ("302031", LATE, "planned", None),
        ):
            ws.engagements.add(
                {
                    "municipality": code,
                    "date": day.isoformat(),
                    "type": "regular_consultation",
                    "mode": "オンライン",
                    "title": "定例よろず相談",
                    "status": status,
                    "start_time": start,
                }
            )
    finally:
        ws.close()
    return data_dir


def test_a_line_per_municipality_and_the_count_of_the_overdue(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, data_dir, "schedule")

    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"定例よろず相談の予定（{TODAY.isoformat()} 現在）"
    assert lines[1].split("\t") == [
        "コード",
        "市町村",
        "間隔",
        "最終実施",
        "期限",
        "次回予定",
        "状態",
    ]
    assert len(lines) == 2 + 30 + 1
    by_code = {line.split("\t")[0]: line.split("\t") for line in lines[2:-1]}
    assert by_code["302015"] == [
        "302015",
        "和歌山市",
        "毎月",
        HELD.isoformat(),
        add_months(HELD, 1).isoformat(),
        f"{PLANNED.isoformat()} 10:00",
        "—",
    ]
    assert by_code["302023"] == ["302023", "海南市", "2か月ごと", "-", "-", "-", "期限超過"]
    assert by_code["302031"] == [
        "302031",
        "橋本市",
        "未設定",
        "-",
        "-",
        "-",
        f"—（予定日を過ぎた予定 {LATE.isoformat()}: 実施か中止を記録してください）",
    ]
    assert lines[-1] == "期限超過 1 / 30 団体"


def test_json_for_every_municipality_with_iso_dates(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, data_dir, "schedule", "--json")

    assert (status, err) == (0, "")
    rows = json.loads(out)
    assert [r["code"] for r in rows] == sorted(r["code"] for r in rows)
    wakayama = next(r for r in rows if r["code"] == "302015")
    assert wakayama["months"] == 1
    assert wakayama["due"] == add_months(HELD, 1).isoformat()
    assert wakayama["last_held"]["date"] == HELD.isoformat()
    assert (wakayama["next_planned"]["date"], wakayama["next_planned"]["start_time"]) == (
        PLANNED.isoformat(),
        "10:00",
    )
    assert (wakayama["overdue"], wakayama["late"]) == (False, [])


def test_one_municipality_by_name(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, data_dir, "schedule", "--municipality", "海南", "--json")

    assert (status, err) == (0, "")
    assert json.loads(out) == [
        {
            "code": "302023",
            "name": "海南市",
            "region": "海草",
            "months": 2,
            "last_held": None,
            "next_planned": None,
            "due": None,
            "overdue": True,
            "late": [],
        }
    ]


def test_one_municipality_by_code_as_text(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, data_dir, "schedule", "--municipality", "302031")

    lines = out.splitlines()
    assert status == 0
    assert [line.split("\t")[1] for line in lines[2:-1]] == ["橋本市"]
    assert lines[-1] == "期限超過 0 / 1 団体"


def test_an_unknown_municipality_is_one_line_on_stderr(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, data_dir, "schedule", "--municipality", "架空町")

    assert (status, out) == (EXIT_USAGE, "")
    assert err.startswith("dxdesk: エラー: 市町村「架空町」が見つかりません")
    assert err.count("\n") == 1


def test_no_municipalities_says_what_to_do() -> None:
    assert (
        schedule_text([], TODAY) == "担当の市町村がありません。同期して割り当てを確かめてください\n"
    )


def test_the_municipality_list_names_the_next_planned_and_the_overdue(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, data_dir, "municipalities")

    assert status == 0
    lines = {line.split()[0]: line.split("\t") for line in out.splitlines()}
    assert f"次回予定 {PLANNED.isoformat()}" in lines["302015"]
    assert "期限超過" not in lines["302015"]
    assert lines["302023"][-1] == "期限超過"  # every two months, nothing held nor planned
    assert "次回予定 -" in lines["302023"]

"""`dxdesk survey status` names who has answered and who has not (grouped at the end, for the
reminder); `dxdesk survey responses` prints every answer as JSON; bad input in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.services.workspace import open_workspace

EXIT_USAGE = 2


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    try:
        status = main(["--data-dir", str(data_dir), *args])
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two of the 30 answered R6: 和歌山市 and みなべ町."""
    data_dir = tmp_path_factory.mktemp("survey") / "data"
    ws = open_workspace(data_dir)
    try:
        for code, name, answered_on in (
            ("302015", "回答_和歌山市.xlsx", "2024-05-07"),
            ("303917", "forms.xlsx", "2024-06-01"),
        ):
            ws.survey_responses.add(
                {
                    "municipality": code,
                    "fiscal_year": 2030,  # a year with no definition: the catalog's items
                    "answers": {"1-1": 3, "D1": 0},
                    "respondent": "企画課",
                    "answered_on": answered_on,
                    "imported_on": "2024-06-10",
                    "source_name": name,
                }
            )
    finally:
        ws.close()
    return data_dir


def test_status_lists_each_municipality_and_ends_with_those_to_remind(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, data_dir, "survey", "status", "--fiscal-year", "R12")

    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "R12 (2030) の調査（定義なし: アセスメント項目のみ、26 問）"
    assert lines[1].startswith("回答済み 和歌山市 2024-05-07 回答_和歌山市.xlsx（26 問中 2 問")
    assert lines[2] == "未回答   海南市"
    assert "回答済み みなべ町 2024-06-01 forms.xlsx（26 問中 2 問、取り込み 2024-06-10" in out
    assert "回答済み 2 / 30 団体、未回答 28 団体" in lines
    reminder = lines[lines.index("未回答の市町村（28 団体）:") + 1 :]
    assert len(reminder) == 28
    assert reminder[0] == "  海南市（海草）"
    assert not any("和歌山市" in line or "みなべ町" in line for line in reminder)


def test_status_json(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, data_dir, "survey", "status", "--fiscal-year", "2030", "--json")

    assert (status, err) == (0, "")
    data = json.loads(out)
    assert data["counts"] == {"municipalities": 30, "answered": 2, "not_answered": 28}
    first = data["municipalities"][0]
    assert (first["name"], first["answered"], first["source_name"], first["answered_on"]) == (
        "和歌山市",
        True,
        "回答_和歌山市.xlsx",
        "2024-05-07",
    )
    assert len(data["not_answered"]) == 28


def test_responses_json_for_one_municipality_by_name(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ("survey", "responses", "--fiscal-year", "2030", "--municipality", "みなべ")
    status, out, err = run(capsys, data_dir, *args)

    assert (status, err) == (0, "")
    [minabe] = json.loads(out)
    assert (minabe["municipality"], minabe["source_name"]) == ("303917", "forms.xlsx")
    assert minabe["answers"]["1-1"]["label"] == "3 推進している"
    assert minabe["answers"]["1-1"]["question"]

    status, out, err = run(capsys, data_dir, *args[:-1], "海南", "--json")
    assert (status, json.loads(out)) == (0, [])
    assert err == "dxdesk: 海南市 の R12 (2030) の回答はまだありません\n"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("status", "--fiscal-year", "来年"), "年度"),
        (("responses", "--fiscal-year", "2030", "--municipality", "東京"), "東京"),
    ],
)
def test_bad_input_is_one_line_and_the_usage_status(
    data_dir: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
) -> None:
    status, out, err = run(capsys, data_dir, "survey", *args)

    assert (status, out) == (EXIT_USAGE, "")
    assert err.startswith("dxdesk: エラー: ") and said in err
    assert err.count("\n") == 1

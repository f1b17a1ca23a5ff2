"""No ``dxdesk`` command ends in a traceback on bad input; a municipality is found by its name
without 市/町/村, or the candidates are listed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from dxdesk.cli.main import main
from dxdesk.models import backup_keys
from dxdesk.models.backup_crypto import KdfCost
from dxdesk.services.workspace import open_workspace
from tests.child_process import run as run_command


def run(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    try:
        status = main(["--data-dir", str(data_dir), *args])
    except SystemExit as exc:
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    data_dir = tmp_path / "data"
    assert run(capsys, data_dir, "seed-demo")[0] == 0
    return data_dir


def test_login_without_a_terminal_says_to_use_password_stdin(tmp_path: Path) -> None:
    # A new session has no controlling terminal, as under cron or in a pipeline.
    done = run_command(
        [
            *(sys.executable, "-m", "dxdesk", "--data-dir", str(tmp_path / "data")),
            *("login", "https://127.0.0.1:1", "--user", "tanaka"),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 2
    assert done.stderr == (
        "dxdesk: エラー: パスワードを入力する端末がありません。"
        "--password-stdin で渡してください。\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("records", "list", "visit", "--json", "--municipality", "みなべ"),
        ("search", "訪問", "--json", "--municipality", "みなべ"),
        ("know-who", "--json", "--municipality", "ミナベ"),
    ],
)
def test_a_municipality_is_found_without_its_cho(
    demo: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    status, out, err = run(capsys, demo, *args)
    assert status == 0, err
    json.loads(out)
    if args[0] == "records":
        visits = json.loads(out)
        assert visits and {v["municipality"] for v in visits} == {"303917"}


def test_an_assessment_report_takes_a_name_without_its_shi(
    demo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "海南.pdf"
    status, _, err = run(
        capsys, demo, "report", "assessment", "海南", "--fiscal-year", "R6", "-o", str(target)
    )
    assert status == 0, err
    assert target.is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("records", "list", "visit", "--municipality", "紀"),
            "紀の川市（302082）、紀美野町（303046）",
        ),
        (("search", "x", "--municipality", "川"), "有田川町（303666）"),
        (("know-who", "--municipality", "大阪"), "市町村「大阪」が見つかりません"),
        (("records", "list", "visit", "--municipality", "302016"), "正しくは 302015"),
    ],
)
def test_an_unclear_municipality_lists_the_candidates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    status, out, err = run(capsys, tmp_path / "data", *args)
    assert (status, out) == (2, "")
    assert err.startswith("dxdesk: エラー: ") and message in err and err.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ("backup", "-o", "{tmp}"),  # a folder, not a file
        ("backup", "-o", "{tmp}/no/such/folder/copy.sqlite3"),
        ("import-survey", "{tmp}"),
        ("records", "add", "contact", "--json", "-"),  # stdin is empty
    ],
)
def test_bad_input_is_one_line_and_status_2_not_a_traceback(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    command = [a.format(tmp=tmp_path) for a in args]
    secret = ""
    if args[0] == "backup":  # past the passphrase, to the target itself
        open_workspace(tmp_path / "data").close()
        secret = "合言葉はうみねこ"
        backup_keys.set_up(tmp_path / "data", secret, cost=KdfCost(n=2**10))
        command.append("--passphrase-stdin")
    done = run_command(
        [sys.executable, "-m", "dxdesk", "--data-dir", str(tmp_path / "data"), *command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        input=secret + "\n" if secret else None,
    )
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("dxdesk") and done.stderr.count("\n") == 1


@pytest.mark.parametrize("limit", ["0", "-3", "many"])
def test_search_limit_takes_a_count_of_one_or_more(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], limit: str
) -> None:
    status, out, err = run(capsys, tmp_path / "data", "search", "訪問", "--limit", limit)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1
    assert f"--limit: 1 以上の整数で指定してください: {limit}" in err


def test_search_limit_of_one_shows_one(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, demo, "search", "訪問", "--limit", "1", "--json")
    assert status == 0, err
    assert len(json.loads(out)) == 1

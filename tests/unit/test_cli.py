from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dxdesk.cli.main import main
from dxdesk.models import backup_keys
from dxdesk.models.backup_crypto import KdfCost
from tests.child_process import stop


class Run:
    def __init__(
        self, data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        self.data_dir = data_dir
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            self.monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            status = main(["--data-dir", str(self.data_dir), *args])
        except SystemExit as exc:  # argparse's own exits
            status = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return status, out, err

    def json(self, *args: str, stdin: str | None = None) -> Any:
        status, out, err = self(*args, stdin=stdin)
        assert status == 0, err
        return json.loads(out)


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    return Run(tmp_path / "data", capsys, monkeypatch)


def test_seed_demo_reproduces_the_programme_kpi(run: Run) -> None:
    status, _, err = run("seed-demo")
    assert status == 0, err
    kpi = run.json("kpi", "--json")
    assert kpi == {
        "levels": {
            "2023": {"1": 6, "2": 12, "3": 10, "4": 2},
            "2024": {"1": 0, "2": 2, "3": 22, "4": 6},
        },
        "targets": {"2025": {"4": 12, "3": 18}},
    }
    municipalities = run.json("municipalities", "--json")
    assert len(municipalities) == 30
    assert all(m["last_engagement"] for m in municipalities)
    assert sum(m["open_follow_ups"] for m in municipalities) > 0


def test_seed_demo_refuses_a_folder_with_data_unless_forced(run: Run) -> None:
    run.json(
        "records", "add", "contact", "--json", '{"municipality": "302015", "name": "山本 健一"}'
    )
    status, _, err = run("seed-demo")
    assert status == 2
    assert "--force" in err
    assert len(run.json("records", "list", "contact", "--json")) == 1
    status, _, err = run("seed-demo", "--force")
    assert status == 0, err
    names = [c["name"] for c in run.json("records", "list", "contact", "--json")]
    assert len(names) == 60


def test_records_crud_through_the_cli(run: Run) -> None:
    visit = run.json(
        "records",
        "add",
        "visit",
        "--json",
        json.dumps(
            {
                "municipality": "302015",
                "date": "2025-06-12",
                "type": "visit",
                "mode": "in_person",
                "summary": "窓口BPR",
                "notes": "メモ",
                "themes": ["窓口BPR・庁内BPR"],
            },
            ensure_ascii=False,
        ),
    )
    assert visit["id"]
    patched = run.json(
        "records", "update", "visit", visit["id"], "--json", "-", stdin='{"notes": "追記しました"}'
    )
    assert patched["notes"] == "追記しました"
    assert run.json("records", "get", "visit", visit["id"])["summary"] == "窓口BPR"
    listed = run.json("records", "list", "visit", "--municipality", "302015", "--json")
    assert [v["id"] for v in listed] == [visit["id"]]
    assert run.json("records", "list", "visit", "--municipality", "302023", "--json") == []
    status, _, _ = run("records", "delete", "visit", visit["id"])
    assert status == 0
    status, _, err = run("records", "get", "visit", visit["id"])
    assert status == 2
    assert "ありません" in err


def test_assessment_output_has_derived_values(run: Run) -> None:
    made = run.json(
        "records",
        "add",
        "assessment",
        "--json",
        '{"municipality": "302031", "fiscal_year": 2025, "scores": {"0-1": 3, "D1": 3}}',
    )
    assert (made["total"], made["maximum"]) == (6, 78)
    assert made["suggested_level"] in (1, 2, 3, 4)
    assert isinstance(made["suggestion_reasons"], list)


def test_json_output_is_readable_utf8(run: Run) -> None:
    status, out, _ = run("municipalities", "--json")
    assert status == 0
    assert "和歌山市" in out
    assert "\\u" not in out


@pytest.mark.parametrize(
    ("args", "stdin", "fragment"),
    [
        (
            (
                "records",
                "add",
                "visit",
                "--json",
                '{"municipality": "302016", "date": "2025-01-01"}',
            ),
            None,
            "302015",
        ),
        (
            (
                "records",
                "add",
                "visit",
                "--json",
                '{"municipality": "131016", "date": "2025-01-01"}',
            ),
            None,
            "名簿",
        ),
        (
            (
                "records",
                "add",
                "assessment",
                "--json",
                '{"municipality": "302015", "fiscal_year": 2025, "scores": {"0-1": 5}}',
            ),
            None,
            "0-1",
        ),
        (
            (
                "records",
                "add",
                "assessment",
                "--json",
                '{"municipality": "302015", "fiscal_year": 2025, "scores": {"D2": 2}}',
            ),
            None,
            "D2",
        ),
        (
            (
                "records",
                "add",
                "assessment",
                "--json",
                '{"municipality": "302015", "fiscal_year": 2025, "scores": {"X-1": 3}}',
            ),
            None,
            "X-1",
        ),
        (
            (
                "records",
                "add",
                "visit",
                "--json",
                '{"municipality": "302015", "date": "2025-01-01", "weather": "sunny"}',
            ),
            None,
            "weather",
        ),
        (("records", "add", "visit", "--json", "-"), '{"municipality": ', "JSON"),
        (("records", "add", "visit", "--json", "[1, 2]"), None, "オブジェクト"),
        (("records", "list", "meeting"), None, "meeting"),
        (("records", "update", "visit", "not-a-uuid", "--json", "{}"), None, "UUID"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    run: Run, args: tuple[str, ...], stdin: str | None, fragment: str
) -> None:
    status, out, err = run(*args, stdin=stdin)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1, err
    assert fragment in err
    for kind in ("visit", "assessment"):
        assert run.json("records", "list", kind, "--json") == []


def test_unusable_data_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["--data-dir", str(blocker), "municipalities"]) == 2
    err = capsys.readouterr().err
    assert str(blocker) in err
    assert err.count("\n") == 1


def test_backup_command_writes_a_copy_that_restores(run: Run, tmp_path: Path) -> None:
    """The copy is encrypted (a passphrase is chosen first): it comes back through restore."""
    run.json("records", "add", "contact", "--json", '{"municipality": "302015", "name": "森 誠"}')
    backup_keys.set_up(run.data_dir, "和歌山の青い海2026", cost=KdfCost(n=2**10))
    copy = tmp_path / "backup.dxbackup"
    status, _, err = run(
        "backup", "--passphrase-stdin", "-o", str(copy), stdin="和歌山の青い海2026\n"
    )
    assert status == 0, err
    assert "森 誠".encode() not in copy.read_bytes()
    other = Run(tmp_path / "other", run.capsys, run.monkeypatch)
    status, _, err = other("restore", "--passphrase-stdin", str(copy), stdin="和歌山の青い海2026\n")
    assert status == 0, err
    assert [c["name"] for c in other.json("records", "list", "contact", "--json")] == ["森 誠"]


def test_installed_console_script_reports_its_version(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("dxdesk")
    result = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("dxdesk ")


def test_lang_flag_reaches_the_app_and_rejects_unknown_languages(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dxdesk.ui.app

    seen: dict[str, Any] = {}

    def fake_run_app(**kwargs: Any) -> int:
        seen.update(kwargs)
        return 0

    monkeypatch.setattr(dxdesk.ui.app, "run_app", fake_run_app)
    assert run("--lang", "en", "--smoke")[0] == 0
    assert seen["lang"] == "en"
    assert seen["smoke"] is True
    assert run()[0] == 0
    assert seen["lang"] is None  # the setting (or Japanese) decides
    status, _, err = run("--lang", "fr")
    assert status == 2
    assert "--lang" in err


def test_a_reader_that_leaves_early_ends_the_command_quietly(tmp_path: Path) -> None:
    """`dxdesk know-who | head -1`: no traceback when the pipe closes under the output."""
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "seed-demo"]) == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "dxdesk", "--data-dir", data, "know-who"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        process.stdout.close()  # gone before the first line is written
        _, err = process.communicate(timeout=60)
    finally:
        stop(process)
    assert b"Traceback" not in err and process.returncode == 1


def test_conflicts_say_what_met_the_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A refusal is named with the server's reason, a delete as a delete, an edit by its value."""
    from dxdesk.models.base import utc_now
    from dxdesk.models.tables import SyncConflict
    from dxdesk.services.workspace import open_workspace

    data = tmp_path / "data"
    ws = open_workspace(data)
    try:
        record = "0f276da6-871a-4901-b401-7e53246db618"
        with ws.store.transaction() as session:
            for reason, theirs, detail in (
                ("refused", None, "担当していない市町村です"),
                ("deleted", None, ""),
                ("changed", "相手の件名", ""),
            ):
                session.add(
                    SyncConflict(
                        kind="visit",
                        record_id=record,
                        field="title",
                        reason=reason,
                        base="元",
                        theirs=theirs,
                        mine="自分の件名",
                        theirs_by="" if reason == "refused" else "suzuki",
                        detail=detail,
                        created_at=utc_now(),
                    )
                )
    finally:
        ws.close()
    assert main(["--data-dir", str(data), "conflicts"]) == 0
    refused, deleted, changed = capsys.readouterr().out.splitlines()
    assert "サーバーが受け付けませんでした: 担当していない市町村です" in refused
    assert "null" not in refused and "相手（）" not in refused
    assert "相手（suzuki）: 削除" in deleted
    assert '相手（suzuki）: "相手の件名"\t自分: "自分の件名"' in changed

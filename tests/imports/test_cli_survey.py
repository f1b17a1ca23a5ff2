"""``dxdesk survey-template`` and ``dxdesk import-survey`` as a person runs them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from dxdesk.cli.main import main
from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.roster import load_roster
from dxdesk.services.workspace import open_workspace
from tests.imports import survey_files as files

CODES = [m.code for m in load_roster()]


def _assessments(data: Path) -> list[dict[str, object]]:
    ws = open_workspace(data)
    try:
        return ws.assessments.list_records()
    finally:
        ws.close()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_template_out_answers_in_dry_run_then_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    template = tmp_path / "回答票.xlsx"
    code, out, _ = _run(
        capsys, "--data-dir", data, "survey-template", "-o", str(template), "--fiscal-year", "R7"
    )
    assert code == 0 and "30 市町村" in out and template.exists()
    book = openpyxl.load_workbook(template)
    book["回答"]["E2"] = "3 推進している"  # 和歌山市, item 0-1 (after 回答者, 回答日)
    book["回答"]["F3"] = "1 時期は未定だが推進を検討中"  # 海南市, item 0-3
    book.save(template)

    code, out, _ = _run(
        capsys, "--data-dir", data, "import-survey", str(template), "--dry-run", "--json"
    )
    result = json.loads(out)
    assert code == 0 and result["fiscal_year"] == 2025 and result["errors"] == []
    assert result["municipalities"] == [CODES[0], CODES[1]]
    assert [(c["municipality"], c["action"], c["scores"]) for c in result["changes"]] == [
        (CODES[0], "create", {"0-1": {"before": None, "after": 3}}),
        (CODES[1], "create", {"0-3": {"before": None, "after": 1}}),
    ]
    assert _assessments(tmp_path / "data") == []  # a dry run writes nothing

    code, out, _ = _run(capsys, "--data-dir", data, "import-survey", str(template))
    assert code == 0 and "2 件のアセスメントを書き込みました" in out
    code, out, _ = _run(capsys, "--data-dir", data, "import-survey", str(template))
    assert code == 0 and "取り込み済みのため、何も変えませんでした" in out
    surveys = [a for a in _assessments(tmp_path / "data") if a["method"] == "survey"]
    assert sorted((str(a["municipality"]), str(a["scores"])) for a in surveys) == [
        (CODES[0], str({"0-1": 3})),
        (CODES[1], str({"0-3": 1})),
    ]


def test_errors_exit_1_and_write_nothing_until_rows_are_excluded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(tmp_path / "data")
    path, expected = files.bad_answers(tmp_path, files.answers_for(CODES, seed=11))
    code, out, err = _run(
        capsys, "--data-dir", data, "import-survey", str(path), "--fiscal-year", "2025", "--json"
    )
    assert code == 1 and "何も書き込みませんでした" in err
    errors = json.loads(out)["errors"]
    assert {"sheet", "row", "column", "value", "message"} == set(errors[0])
    assert (expected[0].row, expected[0].column, expected[0].value) in {
        (e["row"], e["column"], e["value"]) for e in errors
    }
    assert _assessments(tmp_path / "data") == []
    code, out, _ = _run(
        capsys,
        "--data-dir",
        data,
        "import-survey",
        str(path),
        "--fiscal-year",
        "2025",
        "--exclude-error-rows",
    )
    assert code == 0 and "件のアセスメントを書き込みました" in out


def test_a_doubtful_column_waits_for_a_person_and_column_confirms_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = load_catalog()
    path = tmp_path / "answers.csv"
    reworded = "RPAを活用しているか"  # the question was "RPAを活用していますか？"
    headers = ["市町村", "0-1", "0-3", "1-1", reworded]
    path.write_text(",".join(headers) + "\n和歌山市,3,2,1,3\n", encoding="utf-8")
    data = str(tmp_path / "data")
    code, out, _ = _run(
        capsys, "--data-dir", data, "import-survey", str(path), "--fiscal-year", "2025", "--json"
    )
    result = json.loads(out)
    assert code == 1
    [problem] = result["errors"]
    assert problem["column"] == "E" and problem["row"] is None and "3-5" in problem["message"]
    assert catalog.item("3-5").question.startswith("RPA")
    code, out, _ = _run(
        capsys,
        "--data-dir",
        data,
        "import-survey",
        str(path),
        "--fiscal-year",
        "2025",
        "--column",
        "E=3-5",
    )
    assert code == 0
    [survey] = _assessments(tmp_path / "data")
    assert survey["scores"] == {"0-1": 3, "0-3": 2, "1-1": 1, "3-5": 3}


def test_a_broken_file_is_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = files.corrupt_zip(tmp_path)
    code, _, err = _run(capsys, "--data-dir", str(tmp_path / "data"), "import-survey", str(path))
    assert code == 2 and err.count("\n") == 1 and "壊れています" in err


def test_every_column_has_a_role_and_an_unmapped_one_waits_for_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = files.answers_for(CODES[:2], seed=12)
    path = files.ms_forms_xlsx(tmp_path, answers)
    data = str(tmp_path / "data")
    code, out, _ = _run(capsys, "--data-dir", data, "import-survey", str(path), "--dry-run")
    header = openpyxl.load_workbook(path).active[1]
    extra = [c.column_letter for c in header if c.value in files.EXTRA_QUESTIONS]
    assert code == 1 and len(extra) == 2
    assert (
        "列: フォームの情報（取り込まない） 3、回答日時 2、回答者 1、市町村名 1、"
        "設問 26、未割り当て 2" in out
    )
    for letter in extra:
        assert f"{letter} 列「" in out and f"--column {letter}=- で取り込まない" in out

    ignore = [f"--column={letter}=-" for letter in extra]
    code, out, _ = _run(
        capsys, "--data-dir", data, "import-survey", str(path), "--dry-run", "--json", *ignore
    )
    result = json.loads(out)
    assert code == 0 and result["errors"] == []
    roles = {c["header"]: c["role"] for c in result["columns"]}
    assert roles["ID"] == "meta" and roles["名前"] == "respondent" and roles["開始時刻"] == "time"
    assert {roles[q] for q in files.EXTRA_QUESTIONS} == {"ignored"}
    assert {c["question"] for c in result["columns"] if c["role"] == "question"} == set(
        load_catalog().codes
    )
    code, out, _ = _run(capsys, "--data-dir", data, "import-survey", str(path), *ignore)
    assert code == 0 and "2 件のアセスメントを書き込みました（市町村の回答 2 件を保存）" in out

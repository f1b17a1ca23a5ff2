"""``dxdesk … --help`` for every command: Japanese throughout, English under ``--lang en``."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from dxdesk.cli.main import _build_parser, main
from dxdesk.domain.records import KINDS

ARGPARSE_ENGLISH = ("usage:", "options:", "positional arguments", "show this help message")
# Kanji, kana and full-width forms: none of them belongs in the English help.
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def command_paths(parser: argparse.ArgumentParser) -> Iterator[tuple[str, ...]]:
    """Every command and action of a parser tree: (), ("records",), ("records", "add")…"""
    yield ()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                for path in command_paths(child):
                    yield (name, *path)


def parser_at(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> argparse.ArgumentParser:
    for name in path:
        [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = commands.choices[name]
    return parser


def undocumented(parser: argparse.ArgumentParser) -> list[str]:
    """The arguments and commands of one parser that have no help text."""
    missing = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):  # its commands are what is listed
            missing += [choice.dest for choice in action._choices_actions if not choice.help]
        elif not action.help or action.help == argparse.SUPPRESS:
            missing.append(action.dest)
    return missing


PATHS = list(command_paths(_build_parser()))


def help_text(
    capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str
) -> tuple[int | str | None, str]:
    with pytest.raises(SystemExit) as done:
        main(["--data-dir", str(data_dir), *args, "--help"])
    out, err = capsys.readouterr()
    assert err == ""
    return done.value.code, out


def test_every_command_is_walked() -> None:
    assert ("records", "add") in PATHS and ("report", "visit") in PATHS
    assert ("export", "xlsx") in PATHS and ("login",) in PATHS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "dxdesk")
def test_help_is_japanese_with_an_example(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out = help_text(capsys, tmp_path, *path)
    assert status == 0
    for english in ARGPARSE_ENGLISH:
        assert english not in out
    assert "使い方:" in out
    assert "例:" in out
    examples = out.split("例:", 1)[1].splitlines()
    assert any(line.strip().startswith("dxdesk") and " ".join(path) in line for line in examples)


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "dxdesk")
def test_every_argument_and_command_has_a_help_text(path: tuple[str, ...]) -> None:
    assert undocumented(parser_at(_build_parser(), path)) == []


def test_records_help_lists_every_action_and_every_kind(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, out = help_text(capsys, tmp_path, "records")
    for action in ("list", "get", "add", "update", "delete"):
        assert re.search(rf"^\s+{action}\s+\S", out, re.MULTILINE), action
    for kind, spec in KINDS.items():
        assert re.search(rf"^\s+{kind}\s+{spec.label}", out, re.MULTILINE), kind
    _, out = help_text(capsys, tmp_path, "records", "add")
    for kind in KINDS:
        assert kind in out


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "dxdesk")
def test_lang_en_gives_english_help(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out = help_text(capsys, tmp_path, "--lang", "en", *path)
    assert status == 0
    assert "usage:" in out and "show this help message" in out and "Example" in out
    # The examples are commands, which may name a municipality or a file in Japanese.
    prose = [line for line in out.splitlines() if "dxdesk" not in line]
    assert not [line for line in prose if JAPANESE.search(line)]


def test_the_language_chosen_in_the_window_is_the_help_language(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "ui.ini").write_text("[ui]\nlanguage=en\n", encoding="utf-8")
    _, out = help_text(capsys, tmp_path, "records")
    assert "usage:" in out
    _, out = help_text(capsys, tmp_path, "--lang", "ja", "records")
    assert "使い方:" in out


@pytest.mark.parametrize(
    ("args", "japanese", "english"),
    [
        (("records",), "次の引数を指定してください", "the following arguments are required"),
        (("search", "x", "--kind", "nope"), "選べません", "invalid choice"),
        (("resolve", "many", "--take", "mine"), "読めません", "invalid int value"),
        (("search", "x", "--limit", "0"), "1 以上の整数", "1 or more"),
        (("kpi", "--bogus"), "余分な引数", "unrecognized arguments"),
        (("resolve", "1"), "どれかを指定してください", "one of the arguments"),
    ],
)
def test_argparse_errors_speak_the_language_in_one_line(
    args: tuple[str, ...],
    japanese: str,
    english: str,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    for language, expected, unexpected in (("ja", japanese, english), ("en", english, japanese)):
        with pytest.raises(SystemExit) as done:
            main(["--data-dir", str(tmp_path), "--lang", language, *args])
        _, err = capsys.readouterr()
        assert done.value.code == 2
        assert expected in err and unexpected not in err
        assert err.count("\n") == 1

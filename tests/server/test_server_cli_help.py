"""``dxdesk-server … --help`` for every command: Japanese, English under ``--lang en``."""

from __future__ import annotations

import pytest

from dxdesk.server.cli import _build_parser, main
from tests.unit.test_cli_help import (
    ARGPARSE_ENGLISH,
    JAPANESE,
    command_paths,
    parser_at,
    undocumented,
)

PATHS = list(command_paths(_build_parser()))


def help_text(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*args, "--help"])
    out, err = capsys.readouterr()
    assert done.value.code == 0 and err == ""
    return out


def test_every_command_is_walked() -> None:
    assert ("user", "add") in PATHS and ("assign",) in PATHS and ("serve",) in PATHS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "dxdesk-server")
def test_help_is_japanese_with_an_example(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    out = help_text(capsys, *path)
    for english in ARGPARSE_ENGLISH:
        assert english not in out
    assert "使い方:" in out and "例:" in out
    examples = out.split("例:", 1)[1].splitlines()
    assert any(
        line.strip().startswith("dxdesk-server") and " ".join(path) in line for line in examples
    )
    assert undocumented(parser_at(_build_parser(), path)) == []


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "dxdesk-server")
def test_lang_en_gives_english_help(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    out = help_text(capsys, "--lang", "en", *path)
    assert "usage:" in out and "show this help message" in out and "Example" in out
    prose = [line for line in out.splitlines() if "dxdesk-server" not in line]
    assert not [line for line in prose if JAPANESE.search(line)]


def test_a_usage_mistake_is_one_japanese_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["user", "add", "tanaka"])
    _, err = capsys.readouterr()
    assert done.value.code == 2
    assert "次の引数を指定してください: --role" in err and err.count("\n") == 1

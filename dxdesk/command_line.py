"""argparse in Japanese (English under ``--lang en``), for ``dxdesk`` and ``dxdesk-server``.

Help is written in Japanese, the source language as in the window, with its English beside it:
``help=bilingual("JSON で出力する", "print JSON")``. argparse's own words (usage:, options:,
its error messages) are its English gettext msgids: a parser swaps argparse's ``_`` for this
module's catalog while it is built, formats help or parses. This module imports nothing of
the app, so that the server, which may not import the client's modules, uses it too.
"""

from __future__ import annotations

import argparse
import configparser
import getpass
import json
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, NoReturn

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # as a shell reports Ctrl+C

# argparse 3.11's msgids that a person can see, in Japanese.
_ARGPARSE_JA = {
    "usage: ": "使い方: ",
    "positional arguments": "引数",
    "options": "オプション",
    "show this help message and exit": "この説明を表示して終了する",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "%(parser_name)r はありません（%(choices)s のどれか）"
    ),
    "unrecognized arguments: %s": "余分な引数があります: %s",
    "not allowed with argument %s": "%s と一緒には指定できません",
    "ignored explicit argument %r": "値 %r は付けられません",
    "the following arguments are required: %s": "次の引数を指定してください: %s",
    "one of the arguments %s is required": "%s のどれかを指定してください",
    "expected one argument": "値を 1 つ指定してください",
    "expected at most one argument": "値は 1 つまでです",
    "expected at least one argument": "値を 1 つ以上指定してください",
    "expected %s argument": "値を %s 個指定してください",
    "expected %s arguments": "値を %s 個指定してください",
    "ambiguous option: %(option)s could match %(matches)s": (
        "%(option)s では分かりません（候補: %(matches)s）"
    ),
    "unexpected option string: %s": "%s は使えません",
    # Without the type: its name ("int") means nothing to a reader.
    "invalid %(type)s value: %(value)r": "%(value)r が読めません",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "%(value)r は選べません（%(choices)s のどれか）"
    ),
    "can't open '%(filename)s': %(error)s": "%(filename)s を開けません: %(error)s",
}
_EXAMPLES = {"ja": "例:", "en": "Examples:"}
_SEE_HELP = {"ja": "（使い方: {prog} --help）", "en": " (see {prog} --help)"}


class Bilingual(str):
    """A Japanese text that carries its English translation."""

    english: str

    def __new__(cls, japanese: str, english: str) -> Bilingual:
        text = super().__new__(cls, japanese)
        text.english = english
        return text


def bilingual(japanese: str, english: str) -> str:
    return Bilingual(japanese, english)


def in_language(text: str, language: str) -> str:
    if language == "en" and isinstance(text, Bilingual):
        return text.english
    return text


class UsageError(Exception):
    """Bad input on the command line; printed as one line by the command's top-level handler."""


def file_error(exc: OSError) -> str:
    """An OSError as one line a person reads: which file, and why (the OS's words)."""
    where = exc.filename2 or exc.filename
    reason = exc.strerror or type(exc).__name__
    return f"{where} を使えません（{reason}）" if where else f"ファイルを使えません（{reason}）"


def stored_language(settings_file: Path) -> str | None:
    """The window's language setting (``ui/language`` in ui.ini, written by QSettings)."""
    settings = configparser.ConfigParser(interpolation=None)
    try:
        settings.read(settings_file, encoding="utf-8")
    except (OSError, UnicodeDecodeError, configparser.Error):
        return None
    value = settings.get("ui", "language", fallback=None)
    return value if value in LANGUAGES else None


def option_value(argv: Sequence[str], option: str) -> str | None:
    """The last ``option X`` or ``option=X`` in argv, read before the parser is built."""
    value = None
    for i, arg in enumerate(argv):
        if arg == option and i + 1 < len(argv):
            value = argv[i + 1]
        elif arg.startswith(option + "="):
            value = arg.partition("=")[2]
    return value


def choose_language(argv: Sequence[str], settings_file: Path | None = None) -> str:
    """``--lang`` wins; else the window's setting (when the command has one); else Japanese."""
    requested = option_value(argv, "--lang")
    if requested is not None and requested in LANGUAGES:
        return requested
    stored = None if settings_file is None else stored_language(settings_file)
    return stored or DEFAULT_LANGUAGE


def read_password(from_stdin: bool, *, confirm: bool = False) -> str:
    """One line of stdin, or asked at the terminal (twice when ``confirm``)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UsageError(
            "パスワードを入力する端末がありません。--password-stdin で渡してください。"
        )
    try:
        first = getpass.getpass("パスワード: ")
        if confirm and getpass.getpass("もう一度: ") != first:
            raise UsageError("パスワードが一致しません")
    except EOFError:
        raise UsageError("パスワードが入力されませんでした") from None
    return first


@contextmanager
def _argparse_in(language: str) -> Iterator[None]:
    if language != "ja":
        yield
        return
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def ngettext(singular: str, plural: str, n: int) -> str:
        return _ARGPARSE_JA.get(singular if n == 1 else plural, plural)

    argparse._ = lambda text: _ARGPARSE_JA.get(text, text)  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Formatter(argparse.HelpFormatter):
    """Help in the parser's language. Descriptions keep their lines; indented ones (lists,
    examples) are kept as they are, the others wrapped to the width."""

    def __init__(self, prog: str, *, language: str) -> None:
        super().__init__(prog, max_help_position=32)
        self._language = language

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            if line.startswith(" ") or not line:
                lines.append(indent + line)
            else:
                lines += textwrap.wrap(line, width, initial_indent=indent, subsequent_indent=indent)
        return "\n".join(lines)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return None if action.help is None else in_language(action.help, self._language)

    def add_text(self, text: str | None) -> None:
        super().add_text(None if text is None else in_language(text, self._language))

    def start_section(self, heading: str | None) -> None:
        super().start_section(None if heading is None else in_language(heading, self._language))


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands whose help is also their description (shown atop their own --help)."""

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        kwargs.setdefault("description", kwargs.get("help"))
        return super().add_parser(name, **kwargs)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser in ``language`` whose mistakes are one line and exit status 2.

    ``examples`` are command lines shown under 例: at the end of the help.
    """

    language: ClassVar[str] = DEFAULT_LANGUAGE

    def __init__(self, *args: Any, examples: Sequence[str] = (), **kwargs: Any) -> None:
        with _argparse_in(self.language):
            super().__init__(*args, **kwargs)
        self.register("action", "parsers", _Commands)
        if examples:
            lines = "\n".join(f"  {line}" for line in examples)
            self.epilog = f"{_EXAMPLES[self.language]}\n{lines}"

    @classmethod
    def in_language(cls, language: str) -> type[Parser]:
        """This parser class speaking ``language``; its subcommands inherit it."""
        if language not in LANGUAGES:
            language = DEFAULT_LANGUAGE
        return type(f"{cls.__name__}_{language}", (cls,), {"language": language})

    def add_subparsers(self, **kwargs: Any) -> Any:
        kwargs.setdefault("parser_class", type(self))
        return super().add_subparsers(**kwargs)

    def _get_formatter(self) -> argparse.HelpFormatter:
        return _Formatter(self.prog, language=self.language)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        with _argparse_in(self.language):
            return super().parse_args(args, namespace)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        with _argparse_in(self.language):
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _argparse_in(self.language):
            return super().format_usage()

    def format_help(self) -> str:
        with _argparse_in(self.language):
            return super().format_help()

    def _get_value(self, action: argparse.Action, arg_string: str) -> Any:
        try:
            return super()._get_value(action, arg_string)
        except argparse.ArgumentError as exc:
            # A type's refusal (ArgumentTypeError) may be bilingual: in the parser's language.
            refused = exc.__context__
            if isinstance(refused, argparse.ArgumentTypeError) and refused.args:
                message = in_language(refused.args[0], self.language)
                raise argparse.ArgumentError(action, message) from None
            raise

    def error(self, message: str) -> NoReturn:
        # One line, not argparse's usage block: scripts read stderr too.
        hint = _SEE_HELP[self.language].format(prog=self.prog)
        self.exit(EXIT_USAGE, f"{self.prog}: {message}{hint}\n")


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 (any free one) to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"ポート番号は 0〜65535 で指定してください: {text}")
    return port


def positive_count(text: str) -> int:
    """An argparse type for a count (--limit and the like): a whole number, 1 or more."""
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(
            bilingual(
                f"1 以上の整数で指定してください: {text}", f"give a whole number, 1 or more: {text}"
            )
        )
    return count


def add_version(parser: argparse.ArgumentParser, version: str) -> None:
    parser.add_argument(
        "--version",
        action="version",
        version=f"{parser.prog} {version}",
        help=bilingual("バージョンを表示して終了する", "show the version and exit"),
    )


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help=bilingual("JSON で出力する", "print JSON")
    )


def add_password_stdin(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--password-stdin``, read by :func:`read_password`; ``help_text`` says what happens
    without it."""
    parser.add_argument("--password-stdin", action="store_true", help=help_text)


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def one_line(message: str) -> str:
    """A message folded onto one line: scripts read stderr line by line."""
    return " ".join(message.split())


def run_command(
    prog: str, body: Callable[[], int], *, file_error_status: int, error_prefix: str = ""
) -> int:
    """``body()`` with the ends every command shares: a file named on the command line that
    cannot be used is one line (``prog: error_prefix reason``) and ``file_error_status``;
    Ctrl+C is a line and the shell's 130. ``body`` handles its own errors first."""
    try:
        return body()
    except OSError as exc:
        sys.stderr.write(f"{prog}: {error_prefix}{one_line(file_error(exc))}\n")
        return file_error_status
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{prog}: 中断しました\n")
        return EXIT_INTERRUPTED


def row_numbers(text: str) -> set[int]:
    """A sheet's row numbers as a person types them: "7,9", "12、15-17" (ranges included).
    Raises ValueError for anything else; the command names its own option in the message."""
    rows: set[int] = set()
    for part in text.replace("、", ",").split(","):
        first, sep, last = part.strip().partition("-")
        if not part.strip():
            continue
        if not first.strip().isdigit() or (sep and not last.strip().isdigit()):
            raise ValueError(part)
        rows.update(range(int(first), int(last if sep else first) + 1))
    return rows

"""The ``dxdesk-server`` command: prepare the database, manage accounts, serve over HTTPS."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from dxdesk import __version__
from dxdesk.command_line import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    Parser,
    UsageError,
    add_json,
    add_password_stdin,
    add_version,
    bilingual,
    choose_language,
    port_number,
    positive_count,
    run_command,
)
from dxdesk.server import admin, admin_commands, serve_command
from dxdesk.server.database import DatabaseError, connect, initialise
from dxdesk.server.file_storage import DatabaseFileStorage
from dxdesk.server.purge import purge_command
from dxdesk.server.settings import (
    DATABASE_ENV,
    DEFAULT_RETENTION_DAYS,
    RETENTION_ENV,
    SettingError,
    Settings,
    default_database_url,
    retention_days,
)
from dxdesk.wire.protocol import ROLES

EXIT_FAILURE = 1
MB, GB = 1024**2, 1024**3
PASSWORD_STDIN_HELP = bilingual(
    "パスワードを標準入力から 1 行読む（なければ端末で 2 回尋ねる）",
    "read the password as one line of stdin (else asked twice at the terminal)",
)


def _build_parser(language: str = DEFAULT_LANGUAGE) -> argparse.ArgumentParser:
    parser = Parser.in_language(language)(
        prog="dxdesk-server",
        description=bilingual("DX Desk 中央サーバー", "DX Desk central server"),
        examples=(
            "dxdesk-server --db postgresql+psycopg://dxdesk@db.example/dxdesk init",
            "dxdesk-server user add tanaka --role advisor",
            "dxdesk-server serve --cert server.pem --key server.key --host 0.0.0.0",
        ),
    )
    add_version(parser, __version__)
    parser.add_argument(
        "--db",
        metavar="URL",
        help=bilingual(
            f"データベース（postgresql+psycopg://… か sqlite:///…; 既定: ${DATABASE_ENV}、"
            "なければサーバーのデータフォルダの SQLite）",
            f"the database (postgresql+psycopg://… or sqlite:///…; default: ${DATABASE_ENV}, "
            "else SQLite in the server's data folder)",
        ),
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help=bilingual(
            "表示言語（ja: 日本語、en: English）", "language (ja: Japanese, en: English)"
        ),
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, title=bilingual("コマンド", "commands")
    )
    commands.add_parser(
        "init",
        help=bilingual(
            "スキーマを作成・更新し、市町村名簿を読み込む（何度実行してもよい）",
            "create or upgrade the schema and load the roster (safe to run again)",
        ),
        examples=("dxdesk-server init",),
    )
    _add_user_commands(commands)

    for name, help_text, example in (
        (
            "assign",
            bilingual("市町村を担当に加える", "assign municipalities to an account"),
            "dxdesk-server assign tanaka 302015 みなべ 海南市",
        ),
        (
            "unassign",
            bilingual("担当から外す", "take municipalities off an account"),
            "dxdesk-server unassign tanaka みなべ",
        ),
    ):
        command = commands.add_parser(name, help=help_text, examples=(example,))
        _add_name(command)
        command.add_argument(
            "codes",
            nargs="+",
            metavar="NAME|CODE",
            help=bilingual(
                "市町村の名前（市・町・村は省略可）かコード",
                "the municipalities' names (city, town or village may be left out) or codes",
            ),
        )
        if name == "unassign":
            days = Settings(database_url="").unassigned_grace.days
            command.add_argument(
                "--grace",
                type=_grace_days,
                metavar="DAYS",
                help=bilingual(
                    f"外す前に同期した端末が、持っていた記録への変更をまだ送れる日数"
                    f"（既定: {days}; 0 でただちに締め切る。新しい記録は作れません）",
                    f"days a laptop that synced before may still send changes to the records it "
                    f"held (default: {days}; 0 closes at once; it can never make new ones there)",
                ),
            )

    devices = commands.add_parser(
        "devices",
        help=bilingual("アカウントの端末の一覧", "an account's devices"),
        examples=("dxdesk-server devices tanaka", "dxdesk-server devices tanaka --all --json"),
    )
    _add_name(devices)
    devices.add_argument(
        "--all",
        action="store_true",
        help=bilingual("取り消し済みの端末も表示する", "show the revoked devices too"),
    )
    add_json(devices)
    revoke = commands.add_parser(
        "revoke",
        help=bilingual(
            "端末の登録を取り消す（紛失時など）", "revoke a device (a lost laptop, for instance)"
        ),
        examples=(
            "dxdesk-server revoke 6f1c2a0e-…",
            "dxdesk-server revoke 6f1c2a0e-… --wipe",
            "dxdesk-server revoke 6f1c2a0e-… --cancel-wipe",
        ),
    )
    revoke.add_argument(
        "device_id",
        help=bilingual("端末の id（devices の一覧から）", "the device's id (from devices)"),
    )
    revoke.add_argument(
        "--wipe",
        action="store_true",
        help=bilingual(
            "紛失: 次の接続で端末がデータ・バックアップ・ファイル・ログイン情報を消す"
            "（何も送らずに）",
            "lost: at its next contact the laptop deletes its data, backups, files and login"
            " (sending nothing)",
        ),
    )
    revoke.add_argument(
        "--cancel-wipe",
        action="store_true",
        help=bilingual(
            "見つかった端末: まだ伝えていない消去の指示を取り下げる（登録は取り消したまま）",
            "a laptop found again: withdraw a wipe not yet told to it (it stays revoked)",
        ),
    )
    purge = commands.add_parser(
        "purge-files",
        help=bilingual(
            "削除された添付ファイルの中身をデータベースから消す",
            "drop the bytes of deleted attachments from the database",
        ),
        examples=("dxdesk-server purge-files --days 90",),
    )
    purge.add_argument(
        "--days",
        type=_grace_days,
        default=90,
        help=bilingual(
            "削除からこの日数を過ぎたものを消す（既定: 90; 0 で削除済みのものすべて）",
            "those deleted more than this many days ago (default: 90; 0 for all deleted ones)",
        ),
    )
    _add_purge_command(commands)
    _add_serve_command(commands)
    return parser


def _add_purge_command(commands: Any) -> None:
    purge = commands.add_parser(
        "purge",
        help=bilingual(
            "保存期間を過ぎた削除済みの記録の内容を消す（添付ファイルの中身も）",
            "clear the content of records deleted longer ago than the retention period "
            "(attachments' bytes too)",
        ),
        examples=("dxdesk-server purge --dry-run", "dxdesk-server purge --json"),
    )
    purge.add_argument(
        "--days",
        type=_retention_days,
        metavar="DAYS",
        help=bilingual(
            f"この実行だけの保存期間（既定: ${RETENTION_ENV}、なければ {DEFAULT_RETENTION_DAYS};"
            " 0 で削除済みのものすべて）",
            f"the retention period for this run (default: ${RETENTION_ENV}, else"
            f" {DEFAULT_RETENTION_DAYS}; 0 for every deleted one)",
        ),
    )
    purge.add_argument(
        "--dry-run",
        action="store_true",
        help=bilingual("数えるだけで何も変えない", "count only, change nothing"),
    )
    add_json(purge)


def _retention_days(text: str) -> int:
    try:
        return retention_days(text)
    except SettingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_user_commands(commands: Any) -> None:
    user = commands.add_parser(
        "user",
        help=bilingual("アカウントの追加・無効化・一覧", "add, disable and list accounts"),
        examples=(
            "dxdesk-server user add tanaka --role advisor",
            "dxdesk-server user list",
        ),
    )
    user_actions = user.add_subparsers(
        dest="action", metavar="ACTION", required=True, title=bilingual("操作", "actions")
    )
    add = user_actions.add_parser(
        "add",
        help=bilingual("アカウントを追加する", "add an account"),
        examples=(
            "dxdesk-server user add tanaka --role advisor",
            "dxdesk-server user add suzuki --role advisor --password-stdin < suzuki.pass",
        ),
    )
    _add_name(add)
    add.add_argument(
        "--role",
        choices=ROLES,
        required=True,
        help=bilingual(
            "役割（advisor: 担当市町村、coordinator・admin: 全市町村）",
            "role (advisor: assigned municipalities; coordinator, admin: all)",
        ),
    )
    add_password_stdin(add, PASSWORD_STDIN_HELP)
    password = user_actions.add_parser(
        "password",
        help=bilingual("パスワードを変更する", "set a new password"),
        examples=("dxdesk-server user password tanaka",),
    )
    _add_name(password)
    add_password_stdin(password, PASSWORD_STDIN_HELP)
    disable = user_actions.add_parser(
        "disable",
        help=bilingual("アカウントを無効にする（即時）", "disable an account (at once)"),
        examples=("dxdesk-server user disable tanaka",),
    )
    _add_name(disable)
    listing = user_actions.add_parser(
        "list",
        help=bilingual(
            "アカウントの一覧（最近のログイン失敗と、ログインを制限している相手も）",
            "list the accounts (with recent failed logins and whose logins are throttled)",
        ),
        examples=("dxdesk-server user list", "dxdesk-server user list --json"),
    )
    add_json(listing)


def _add_serve_command(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help=bilingual("HTTPS でサーバーを動かす", "serve over HTTPS"),
        examples=(
            "dxdesk-server serve --cert server.pem --key server.key --host 0.0.0.0",
            "dxdesk-server serve --dev-tls tls",
        ),
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help=bilingual(
            "待ち受けるアドレス（既定: 127.0.0.1）", "address to listen on (default: 127.0.0.1)"
        ),
    )
    serve.add_argument(
        "--port",
        type=port_number,
        default=8443,
        help=bilingual(
            "ポート番号（既定: 8443、0 で空いている番号）",
            "port (default: 8443; 0 for any free one)",
        ),
    )
    tls = serve.add_mutually_exclusive_group(required=True)
    tls.add_argument(
        "--cert",
        metavar="FILE",
        help=bilingual(
            "サーバー証明書（PEM、中間証明書を含む）",
            "the server certificate (PEM, with intermediates)",
        ),
    )
    tls.add_argument(
        "--dev-tls",
        metavar="DIR",
        help=bilingual(
            "試用: DIR にローカル CA と 127.0.0.1/localhost の証明書を作って使う",
            "trial: make and use a local CA and a certificate for 127.0.0.1/localhost in DIR",
        ),
    )
    tls.add_argument(
        "--insecure-http",
        action="store_true",
        help=bilingual(
            "暗号化なしの HTTP（このマシン内 127.0.0.1 からのみ）",
            "plain HTTP (only on 127.0.0.1, within this machine)",
        ),
    )
    serve.add_argument(
        "--key",
        metavar="FILE",
        help=bilingual("秘密鍵（PEM; --cert と一緒に）", "the private key (PEM; with --cert)"),
    )
    defaults = Settings(database_url="")
    serve.add_argument(
        "--header-timeout",
        type=positive_count,
        metavar="SECONDS",
        help=bilingual(
            f"接続から TLS のハンドシェイクとリクエストのヘッダーを受け取り終えるまでの上限秒数"
            f"（既定: {defaults.header_timeout_s:g}）",
            f"seconds from the connection to the TLS handshake and the request's head done"
            f" (default: {defaults.header_timeout_s:g})",
        ),
    )
    serve.add_argument(
        "--body-timeout",
        type=positive_count,
        metavar="SECONDS",
        help=bilingual(
            f"リクエスト本文が途切れてよい上限秒数（既定: {defaults.body_gap_s:g}）",
            f"seconds a request body may pause (default: {defaults.body_gap_s:g})",
        ),
    )
    serve.add_argument(
        "--max-connections-per-address",
        type=positive_count,
        metavar="N",
        help=bilingual(
            f"1 つのアドレス（IPv6 は /64）から同時に開ける接続の数（既定: "
            f"{defaults.max_connections_per_address}; リバースプロキシの後ろには置かない:"
            f" ログインの回数制限もプロキシのアドレスしか見えなくなる）",
            f"connections open at once from one address, an IPv6 /64 (default: "
            f"{defaults.max_connections_per_address}; do not serve behind a reverse proxy: the"
            f" login rate limit would see only the proxy's address)",
        ),
    )
    serve.add_argument(
        "--max-file-mb",
        type=positive_count,
        metavar="MB",
        help=bilingual(
            f"添付ファイル 1 つの上限（MB、既定: {defaults.max_file_bytes // MB}）",
            f"the largest attachment taken, in MB (default: {defaults.max_file_bytes // MB})",
        ),
    )
    serve.add_argument(
        "--file-quota-gb",
        type=positive_count,
        metavar="GB",
        help=bilingual(
            "1 アカウントの添付ファイルの合計の上限"
            f"（GB、既定: {defaults.file_quota_bytes // GB}）",
            f"what one account's attachments may hold in all, in GB"
            f" (default: {defaults.file_quota_bytes // GB})",
        ),
    )


def _grace_days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if not 0 <= days <= 365:
        raise argparse.ArgumentTypeError(f"0〜365 の日数を指定してください: {text!r}")
    return days


def _add_name(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", metavar="NAME", help=bilingual("ユーザー名", "the user name"))


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _build_parser(choose_language(argv)).parse_args(argv)
    return run_command("dxdesk-server", lambda: _run(args), file_error_status=EXIT_FAILURE)


def _run(args: argparse.Namespace) -> int:
    try:
        settings = Settings(
            database_url=args.db or default_database_url(), retention_days=retention_days()
        )
    except SettingError as exc:
        sys.stderr.write(f"dxdesk-server: エラー: {exc}\n")
        return EXIT_FAILURE
    try:
        database = connect(settings.database_url)
        try:
            if args.command == "init":
                initialise(database)
                where = database.engine.url.render_as_string(hide_password=True)
                print(f"データベースを準備しました: {where}")
            elif args.command == "user":
                admin_commands.user(database, settings, args)
            elif args.command in ("assign", "unassign"):
                admin_commands.assignment(database, settings, args)
            elif args.command == "devices":
                admin_commands.devices(database, args)
            elif args.command == "revoke":
                admin_commands.revoke(database, args)
            elif args.command == "purge-files":
                admin_commands.purge_files(database, args)
            elif args.command == "purge":
                purge_command(database, DatabaseFileStorage(database), args)
            else:
                serve_command.serve(database, settings, args)
        finally:
            database.close()
    except (admin.AdminError, DatabaseError, UsageError, SettingError) as exc:
        print(f"dxdesk-server: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        advice = "接続先と、init 済みかを確認してください"
        print(f"dxdesk-server: データベースを使えません（{advice}）: {reason}", file=sys.stderr)
        return EXIT_FAILURE
    return 0

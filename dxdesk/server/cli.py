"""The ``dxdesk-server`` command: prepare the database, manage accounts, serve over HTTPS."""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import json
import socket
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from sqlalchemy.exc import SQLAlchemyError

from dxdesk import __version__
from dxdesk.server import admin
from dxdesk.server.database import DatabaseError, ServerDatabase, connect, initialise
from dxdesk.server.settings import DATABASE_ENV, Settings, default_database_url
from dxdesk.sync.protocol import ROLES

EXIT_FAILURE = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dxdesk-server", description="DX Desk 中央サーバー")
    parser.add_argument("--version", action="version", version=f"dxdesk-server {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help=f"データベース（postgresql+psycopg://… か sqlite:///…; 既定: ${DATABASE_ENV}、"
        "なければサーバーのデータフォルダの SQLite）",
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", required=True, parser_class=_Parser
    )
    commands.add_parser("init", help="スキーマを作成・更新し、市町村名簿を読み込む")

    user = commands.add_parser("user", help="アカウントの追加・無効化・一覧")
    user_actions = user.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=_Parser
    )
    add = user_actions.add_parser("add", help="アカウントを追加する")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--password-stdin", action="store_true", help="パスワードを標準入力から読む")
    password = user_actions.add_parser("password", help="パスワードを変更する")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true")
    disable = user_actions.add_parser("disable", help="アカウントを無効にする（即時）")
    disable.add_argument("name")
    listing = user_actions.add_parser("list", help="アカウントの一覧")
    listing.add_argument("--json", action="store_true")

    for name, help_text in (("assign", "市町村を担当に加える"), ("unassign", "担当から外す")):
        command = commands.add_parser(name, help=help_text)
        command.add_argument("name")
        command.add_argument("codes", nargs="+", metavar="CODE")

    devices = commands.add_parser("devices", help="アカウントの端末の一覧")
    devices.add_argument("name")
    devices.add_argument("--all", action="store_true", help="取り消し済みの端末も表示する")
    devices.add_argument("--json", action="store_true")
    revoke = commands.add_parser("revoke", help="端末の登録を取り消す（紛失時など）")
    revoke.add_argument("device_id")

    serve = commands.add_parser("serve", help="HTTPS でサーバーを動かす")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8443, help="0 で空いている番号")
    tls = serve.add_mutually_exclusive_group(required=True)
    tls.add_argument("--cert", metavar="FILE", help="サーバー証明書（PEM、中間証明書を含む）")
    tls.add_argument(
        "--dev-tls",
        metavar="DIR",
        help="試用: DIR にローカル CA と 127.0.0.1/localhost の証明書を作って使う",
    )
    tls.add_argument(
        "--insecure-http",
        action="store_true",
        help="暗号化なしの HTTP（このマシン内 127.0.0.1 からのみ）",
    )
    serve.add_argument("--key", metavar="FILE", help="秘密鍵（PEM; --cert と一緒に）")
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("パスワード: ")
    if getpass.getpass("もう一度: ") != first:
        raise admin.AdminError("パスワードが一致しません")
    return first


def _in_transaction(
    database: ServerDatabase, work: Callable[..., object], **kwargs: object
) -> object:
    with database.transaction() as session:
        return work(session, **kwargs)


def _user(database: ServerDatabase, args: argparse.Namespace) -> None:
    if args.action == "add":
        password = _read_password(args.password_stdin)
        _in_transaction(database, admin.add_user, name=args.name, role=args.role, password=password)
        print(f"ユーザー {args.name}（{args.role}）を追加しました")
    elif args.action == "password":
        password = _read_password(args.password_stdin)
        _in_transaction(database, admin.set_password, name=args.name, password=password)
        print(f"ユーザー {args.name} のパスワードを変更しました")
    elif args.action == "disable":
        _in_transaction(database, admin.disable_user, name=args.name)
        print(f"ユーザー {args.name} を無効にしました（ログイン中の端末もすぐに使えなくなります）")
    else:
        with database.transaction() as session:
            users = admin.list_users(session)
        if args.json:
            print(
                json.dumps(
                    [
                        {
                            "name": u.name,
                            "role": u.role,
                            "disabled": u.disabled,
                            "municipalities": list(u.codes),
                            "devices": u.active_devices,
                        }
                        for u in users
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        for u in users:
            state = "無効" if u.disabled else "有効"
            print(
                f"{u.name}\t{u.role}\t{state}\t端末 {u.active_devices}\t{' '.join(u.codes) or '—'}"
            )


def _device_state(device: admin.DeviceSummary, now: datetime) -> str:
    if device.revoked_at:
        return "取消済み"
    if device.expires_at <= now:
        return f"期限切れ（{device.expires_at:%Y-%m-%d}）"
    return f"有効（{device.expires_at:%Y-%m-%d} まで）"


def _devices(database: ServerDatabase, args: argparse.Namespace) -> None:
    """An account's devices; those revoked (each password-only sync leaves one) on --all."""
    with database.transaction() as session:
        every = admin.list_devices(session, name=args.name)
    devices = every if args.all else [d for d in every if d.revoked_at is None]
    now = datetime.now(UTC)
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "id": d.id,
                        "name": d.name,
                        "created_at": d.created_at.isoformat(),
                        "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None,
                        "expires_at": d.expires_at.isoformat(),
                        "revoked_at": d.revoked_at.isoformat() if d.revoked_at else None,
                        "expired": d.revoked_at is None and d.expires_at <= now,
                    }
                    for d in devices
                ],
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for d in devices:
        seen = f"{d.last_seen_at:%Y-%m-%d %H:%M}" if d.last_seen_at else "—"
        print(f"{d.id}\t{d.name}\t{_device_state(d, now)}\t最終接続 {seen}")
    if hidden := len(every) - len(devices):
        print(f"（取り消し済みの端末 {hidden} 台は --all で表示します）")


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on such sockets' connections, and
    # without it every answer waits ~40 ms for Nagle's algorithm and delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise admin.AdminError(f"{host}:{port} で待ち受けできません: {exc.strerror}") from None
    sock.listen(2048)
    return sock


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _serve(database: ServerDatabase, settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from dxdesk.server.app import create_app
    from dxdesk.server.dev_tls import ensure_dev_certificates

    cert: str | None = None
    key: str | None = None
    ca_note = ""
    if args.insecure_http:
        if not _is_loopback(args.host):
            raise admin.AdminError("--insecure-http は 127.0.0.1 / localhost でのみ使えます")
        scheme = "http"
    elif args.dev_tls:
        files = ensure_dev_certificates(Path(args.dev_tls).expanduser().resolve())
        cert, key = str(files.cert), str(files.key)
        scheme = "https"
        ca_note = f"CA file for clients: {files.ca}"
    else:
        if not args.key:
            raise admin.AdminError("--cert には --key（秘密鍵）も指定してください")
        cert, key = args.cert, args.key
        for path in (cert, key):
            if not Path(path).is_file():
                raise admin.AdminError(f"ファイル {path} がありません")
        scheme = "https"
    app = create_app(settings, database)
    sock = _listening_socket(args.host, args.port)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"DX Desk server listening on {scheme}://{host}:{port}", flush=True)
    if ca_note:
        print(ca_note, flush=True)
    config = uvicorn.Config(
        app,
        ssl_certfile=cert,
        ssl_keyfile=key,
        proxy_headers=False,
        server_header=False,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run(sockets=[sock])


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    settings = Settings(database_url=args.db or default_database_url())
    try:
        database = connect(settings.database_url)
        try:
            if args.command == "init":
                initialise(database)
                where = database.engine.url.render_as_string(hide_password=True)
                print(f"データベースを準備しました: {where}")
            elif args.command == "user":
                _user(database, args)
            elif args.command in ("assign", "unassign"):
                work = admin.assign if args.command == "assign" else admin.unassign
                changed = _in_transaction(database, work, name=args.name, codes=args.codes)
                verb = "担当に加えました" if args.command == "assign" else "担当から外しました"
                print(f"{args.name}: {' '.join(changed) or '変更なし'}（{verb}）")  # type: ignore[arg-type]
            elif args.command == "devices":
                _devices(database, args)
            elif args.command == "revoke":
                _in_transaction(database, admin.revoke_device, device_id=args.device_id)
                print(f"端末 {args.device_id} の登録を取り消しました")
            else:
                _serve(database, settings, args)
        finally:
            database.close()
    except (admin.AdminError, DatabaseError) as exc:
        print(f"dxdesk-server: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        advice = "接続先と、init 済みかを確認してください"
        print(f"dxdesk-server: データベースを使えません（{advice}）: {reason}", file=sys.stderr)
        return EXIT_FAILURE
    return 0

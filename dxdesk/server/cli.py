"""The ``dxdesk-server`` command: prepare the database, manage accounts, serve over HTTPS."""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
import socket
import ssl
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
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
    print_json,
    read_password,
    run_command,
)
from dxdesk.domain.roster import load_roster
from dxdesk.server import admin, login_throttle
from dxdesk.server.database import DatabaseError, ServerDatabase, connect, initialise
from dxdesk.server.settings import DATABASE_ENV, Settings, default_database_url
from dxdesk.wire.protocol import ROLES

EXIT_FAILURE = 1
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
        examples=("dxdesk-server revoke 6f1c2a0e-…",),
    )
    revoke.add_argument(
        "device_id",
        help=bilingual("端末の id（devices の一覧から）", "the device's id (from devices)"),
    )
    _add_serve_command(commands)
    return parser


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


def _in_transaction(
    database: ServerDatabase, work: Callable[..., object], **kwargs: object
) -> object:
    with database.transaction() as session:
        return work(session, **kwargs)


def _user(database: ServerDatabase, settings: Settings, args: argparse.Namespace) -> None:
    if args.action == "add":
        password = read_password(args.password_stdin, confirm=True)
        _in_transaction(database, admin.add_user, name=args.name, role=args.role, password=password)
        print(f"ユーザー {args.name}（{args.role}）を追加しました")
    elif args.action == "password":
        password = read_password(args.password_stdin, confirm=True)
        _in_transaction(database, admin.set_password, name=args.name, password=password)
        print(f"ユーザー {args.name} のパスワードを変更しました")
    elif args.action == "disable":
        _in_transaction(database, admin.disable_user, name=args.name)
        print(f"ユーザー {args.name} を無効にしました（ログイン中の端末もすぐに使えなくなります）")
    else:
        _list_users(database, settings, json=args.json)


def _list_users(database: ServerDatabase, settings: Settings, *, json: bool) -> None:
    with database.transaction() as session:
        users = admin.list_users(session, settings)
        trouble = admin.login_trouble(session, settings)
    if json:
        print_json(
            [
                {
                    "name": u.name,
                    "role": u.role,
                    "disabled": u.disabled,
                    "municipalities": list(u.codes),
                    "devices": u.active_devices,
                    "failed_logins": u.failed_logins,
                    "last_failed_login": (
                        u.last_failed_login.isoformat() if u.last_failed_login else None
                    ),
                    "throttled": [
                        {
                            "address": t.address,
                            "device_id": t.device_id,
                            "retry_after": t.retry_after,
                        }
                        for t in u.throttles
                    ],
                }
                for u in users
            ]
        )
        return
    window = f"{round(settings.login_window.total_seconds() / 60)} 分以内"
    for u in users:
        state = "無効" if u.disabled else "有効"
        columns = [u.name, u.role, state, f"端末 {u.active_devices}", " ".join(u.codes) or "—"]
        if u.last_failed_login is not None:
            columns.append(
                f"ログイン失敗 {u.failed_logins} 回（{window}、最後 "
                f"{u.last_failed_login:%Y-%m-%d %H:%M} UTC）"
            )
        columns += [_throttle_text(t) for t in u.throttles]
        print("\t".join(columns))
    if unknown := trouble.unknown_name_failures:
        print(f"存在しないユーザー名へのログイン失敗 {unknown} 回（{window}）")
    for t in trouble.throttled_addresses:
        print(f"{_throttle_text(t)}（どのユーザー名も）")


def _throttle_text(throttle: login_throttle.Throttle) -> str:
    """Whose logins wait now, as the operator reads it; a laptop with a device key never does."""
    wait = f"あと {throttle.retry_after} 秒"
    if throttle.device_id is not None:
        return f"制限中 端末 {throttle.device_id}（その端末鍵での失敗、{wait}）"
    if throttle.address is None:
        return f"制限中 すべてのアドレス（端末鍵のない端末、{wait}）"
    return f"制限中 {throttle.address}（{wait}）"


def _named(codes: Sequence[str]) -> str:
    """「303917 みなべ町、302023 海南市」: the operator sees which municipalities were meant."""
    names = {m.code: m.name for m in load_roster()}
    return "、".join(f"{code} {names.get(code, '')}".rstrip() for code in codes)


def _assignment(database: ServerDatabase, settings: Settings, args: argparse.Namespace) -> None:
    if args.command == "assign":
        changed = _in_transaction(database, admin.assign, name=args.name, codes=args.codes)
        print(f"{args.name}: {_named(changed) or '変更なし'}（担当に加えました）")  # type: ignore[arg-type]
        return
    grace = settings.unassigned_grace if args.grace is None else timedelta(days=args.grace)
    with database.transaction() as session:
        removed = admin.unassign(session, name=args.name, codes=args.codes, grace=grace)
        devices = admin.list_devices(session, name=args.name)
    print(f"{args.name}: {_named(removed) or '変更なし'}（担当から外しました）")
    for device in _carrying_grace(devices):
        held = [(code, until) for code, until in device.grace if code in removed]
        if held:
            print(
                f"端末 {device.name} は {_grace_text(held)}、外す前に持っていた記録への変更を"
                "送れます（新しい記録は作れません）"
            )


def _carrying_grace(devices: Sequence[admin.DeviceSummary]) -> list[admin.DeviceSummary]:
    """Per device name, its latest login: the one whose grace the laptop's next login keeps."""
    latest: dict[str, admin.DeviceSummary] = {}
    for device in devices:  # oldest first
        latest[device.name] = device
    return [device for device in latest.values() if device.grace]


def _grace_text(grace: Sequence[tuple[str, datetime]]) -> str:
    """「302023 海南市（2026-12-20 17:10 UTC まで）」"""
    return "、".join(
        f"{_named([code])}（{until:%Y-%m-%d %H:%M} UTC まで）" for code, until in grace
    )


def _device_state(device: admin.DeviceSummary, now: datetime) -> str:
    if device.revoked_at:
        return "取消済み"
    if device.expires_at <= now:
        return f"期限切れ（{device.expires_at:%Y-%m-%d}）"
    return f"有効（{device.expires_at:%Y-%m-%d} まで）"


def _devices(database: ServerDatabase, args: argparse.Namespace) -> None:
    """An account's devices; those revoked (each password-only sync leaves one) on --all.

    A revoked one is shown anyway when the laptop's next login would keep its grace.
    """
    with database.transaction() as session:
        every = admin.list_devices(session, name=args.name)
    carrying = {d.id for d in _carrying_grace(every)}
    devices = every if args.all else [d for d in every if d.revoked_at is None or d.id in carrying]
    now = datetime.now(UTC)
    if args.json:
        print_json(
            [
                {
                    "id": d.id,
                    "name": d.name,
                    "created_at": d.created_at.isoformat(),
                    "last_seen_at": d.last_seen_at.isoformat() if d.last_seen_at else None,
                    "expires_at": d.expires_at.isoformat(),
                    "revoked_at": d.revoked_at.isoformat() if d.revoked_at else None,
                    "expired": d.revoked_at is None and d.expires_at <= now,
                    "grace": [
                        {"municipality": code, "until": until.isoformat()}
                        for code, until in d.grace
                    ],
                }
                for d in devices
            ]
        )
        return
    for d in devices:
        seen = f"{d.last_seen_at:%Y-%m-%d %H:%M}" if d.last_seen_at else "—"
        grace = f"\t担当外の猶予: {_grace_text(d.grace)}" if d.grace else ""
        print(f"{d.id}\t{d.name}\t{_device_state(d, now)}\t最終接続 {seen}{grace}")
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


def _check_certificate(cert: str, key: str) -> None:
    """Read the pair as uvicorn will, so that a bad one is one line before "listening on"."""
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except ssl.SSLError as exc:
        raise admin.AdminError(
            f"証明書 {cert} と秘密鍵 {key} を使えません（PEM 形式か、鍵が証明書と対か"
            f"確認してください）: {exc.reason or exc}"
        ) from None


def _expiry_warning(cert: str | None) -> str:
    """One line when the certificate served has expired or will within a month, else ""."""
    from dxdesk.server.dev_tls import RENEW_BEFORE, certificate_expiry

    expiry = certificate_expiry(cert) if cert else None
    if expiry is None:
        return ""
    left = expiry - datetime.now(UTC)
    if left > RENEW_BEFORE:
        return ""
    when = f"{expiry:%Y-%m-%d %H:%M} UTC"
    if left.total_seconds() <= 0:
        return f"警告: 証明書 {cert} は有効期限（{when}）を過ぎています。更新してください"
    return f"警告: 証明書 {cert} の有効期限は {when} です（あと {left.days} 日）。更新してください"


def _with_serve_options(settings: Settings, args: argparse.Namespace) -> Settings:
    """``settings`` with the bounds given to ``serve`` on the command line."""
    given = {
        "header_timeout_s": args.header_timeout,
        "body_gap_s": args.body_timeout,
        "max_connections_per_address": args.max_connections_per_address,
    }
    return dataclasses.replace(settings, **{k: v for k, v in given.items() if v is not None})


def _serve(database: ServerDatabase, settings: Settings, args: argparse.Namespace) -> None:
    import asyncio

    import uvicorn

    from dxdesk.server.app import create_app
    from dxdesk.server.connections import bounded_http_protocol, bounded_tls_protocol
    from dxdesk.server.dev_tls import ensure_dev_certificates

    cert: str | None = None
    key: str | None = None
    ca_note = ""
    renewed_note = ""
    if args.insecure_http:
        if not _is_loopback(args.host):
            raise admin.AdminError("--insecure-http は 127.0.0.1 / localhost でのみ使えます")
        scheme = "http"
    elif args.dev_tls:
        files = ensure_dev_certificates(Path(args.dev_tls).expanduser().resolve())
        cert, key = str(files.cert), str(files.key)
        scheme = "https"
        ca_note = f"CA file for clients: {files.ca}"
        if files.renewed:
            renewed_note = (
                f"開発用の証明書が期限間近のため作り直しました。クライアントには新しい CA ファイル"
                f" {files.ca} を渡してください"
            )
    else:
        if not args.key:
            raise admin.AdminError("--cert には --key（秘密鍵）も指定してください")
        cert, key = args.cert, args.key
        for path in (cert, key):
            if not Path(path).is_file():
                raise admin.AdminError(f"ファイル {path} がありません")
        _check_certificate(cert, key)
        scheme = "https"
    settings = _with_serve_options(settings, args)
    app = create_app(settings, database)
    sock = _listening_socket(args.host, args.port)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"DX Desk server listening on {scheme}://{host}:{port}", flush=True)
    if ca_note:
        print(ca_note, flush=True)
    for note in (renewed_note, _expiry_warning(cert)):
        if note:
            print(f"dxdesk-server: {note}", file=sys.stderr, flush=True)
    # Its head in time, so many connections from one address (connections.py), counted and
    # timed from TCP accept: so TLS is done by the protocol, not by the listening socket.
    http: type[asyncio.BaseProtocol] = bounded_http_protocol(settings)
    if cert is not None:
        context = uvicorn.config.create_ssl_context(
            certfile=cert,
            keyfile=key,
            password=None,
            ssl_version=uvicorn.config.SSL_PROTOCOL_VERSION,
            cert_reqs=ssl.CERT_NONE,
            ca_certs=None,
            ciphers=None,
        )
        http = bounded_tls_protocol(settings, context)
    config = uvicorn.Config(
        app,
        http=http,  # type: ignore[arg-type]  # a BufferedProtocol with TLS; uvicorn only calls it
        # No WebSocket upgrade, which would hand the connection to a protocol without bounds.
        ws="none",
        loop="asyncio",  # TLSConnection is asyncio's TLS protocol
        proxy_headers=False,
        server_header=False,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run(sockets=[sock])


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _build_parser(choose_language(argv)).parse_args(argv)
    return run_command("dxdesk-server", lambda: _run(args), file_error_status=EXIT_FAILURE)


def _run(args: argparse.Namespace) -> int:
    settings = Settings(database_url=args.db or default_database_url())
    try:
        database = connect(settings.database_url)
        try:
            if args.command == "init":
                initialise(database)
                where = database.engine.url.render_as_string(hide_password=True)
                print(f"データベースを準備しました: {where}")
            elif args.command == "user":
                _user(database, settings, args)
            elif args.command in ("assign", "unassign"):
                _assignment(database, settings, args)
            elif args.command == "devices":
                _devices(database, args)
            elif args.command == "revoke":
                _in_transaction(database, admin.revoke_device, device_id=args.device_id)
                print(f"端末 {args.device_id} の登録を取り消しました")
            else:
                _serve(database, settings, args)
        finally:
            database.close()
    except (admin.AdminError, DatabaseError, UsageError) as exc:
        print(f"dxdesk-server: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        advice = "接続先と、init 済みかを確認してください"
        print(f"dxdesk-server: データベースを使えません（{advice}）: {reason}", file=sys.stderr)
        return EXIT_FAILURE
    return 0

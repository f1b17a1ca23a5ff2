"""The sync commands of ``dxdesk``: login, logout, sync, conflicts, resolve."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from dxdesk.command_line import (
    add_json,
    add_password_stdin,
    bilingual,
    print_json,
    read_password,
)
from dxdesk.services.workspace import Workspace
from dxdesk.sync import account
from dxdesk.sync.conflicts import ConflictError, OpenConflict, open_conflicts, resolve
from dxdesk.sync.credentials import NO_KEYCHAIN_MESSAGE, keychain_available

PASSWORD_STDIN_HELP = bilingual(
    "パスワードを標準入力から 1 行読む（キーチェーンのない端末の sync でも）",
    "read the password as one line of stdin (also for sync without a keychain)",
)


def add_commands(commands: Any) -> None:
    login = commands.add_parser(
        "login",
        help=bilingual(
            "同期サーバーにログインする（トークンはキーチェーンへ）",
            "log in to the sync server (the token goes to the keychain)",
        ),
        examples=(
            "dxdesk login https://dx.example.lg.jp:8443 --user tanaka",
            "dxdesk login https://127.0.0.1:8443 --user tanaka --ca-file dev-ca.pem",
            "dxdesk login https://dx.example.lg.jp:8443 --user tanaka --password-stdin < pass.txt",
        ),
    )
    login.add_argument(
        "url", help=bilingual("サーバーの URL（https://…）", "the server's URL (https://…)")
    )
    login.add_argument("--user", required=True, help=bilingual("利用者名", "your user name"))
    login.add_argument(
        "--ca-file",
        metavar="FILE",
        help=bilingual(
            "サーバー証明書を確認する CA ファイル", "a CA file to check the server's certificate"
        ),
    )
    add_password_stdin(login, PASSWORD_STDIN_HELP)

    commands.add_parser(
        "logout",
        help=bilingual(
            "ログアウトする（トークンを消し、サーバーにも伝える）",
            "log out (forget the token here and tell the server)",
        ),
        examples=("dxdesk logout",),
    )

    sync = commands.add_parser(
        "sync",
        help=bilingual("サーバーと同期する", "sync with the server"),
        examples=("dxdesk sync", "dxdesk sync --json", "dxdesk sync --password-stdin < pass.txt"),
    )
    sync.add_argument(
        "--json",
        action="store_true",
        help=bilingual("結果を JSON で出力する", "print the result as JSON"),
    )
    add_password_stdin(sync, PASSWORD_STDIN_HELP)

    conflicts = commands.add_parser(
        "conflicts",
        help=bilingual("未解決の競合の一覧", "the conflicts still to resolve"),
        examples=("dxdesk conflicts", "dxdesk conflicts --json"),
    )
    add_json(conflicts)

    settle = commands.add_parser(
        "resolve",
        help=bilingual(
            "競合を解決する（次の同期で送る）", "resolve a conflict (sent at the next sync)"
        ),
        examples=(
            "dxdesk resolve 7 --take mine",
            "dxdesk resolve 7 --take theirs",
            """dxdesk resolve 7 --value '"まとめ直した文"'""",
        ),
    )
    settle.add_argument(
        "conflict_id",
        type=int,
        metavar="ID",
        help=bilingual(
            "競合の番号（conflicts の一覧の左端）", "the conflict's number (from conflicts)"
        ),
    )
    choice = settle.add_mutually_exclusive_group(required=True)
    choice.add_argument(
        "--take",
        choices=("mine", "theirs"),
        help=bilingual("自分の値（mine）か相手の値（theirs）を採る", "keep my value or theirs"),
    )
    choice.add_argument(
        "--value",
        metavar="JSON",
        help=bilingual("書き直した値（JSON）", "a rewritten value (JSON)"),
    )


def _cmd_login(ws: Workspace, args: argparse.Namespace) -> None:
    kept = account.login(
        ws.store,
        server=args.url,
        user=args.user,
        password=read_password(args.password_stdin),
        ca_file=args.ca_file,
    )
    if kept:
        sys.stdout.write(f"{args.url} に {args.user} としてログインしました\n")
    else:
        sys.stdout.write(f"{args.url} に接続できました。{NO_KEYCHAIN_MESSAGE}\n")


def _cmd_logout(ws: Workspace, args: argparse.Namespace) -> None:
    if account.logout(ws.store):
        sys.stdout.write("ログアウトしました\n")
    else:
        sys.stdout.write(
            "この端末のログイン情報は消しました。サーバーには接続できなかったため、"
            "端末の登録の取り消しは管理者に依頼してください\n"
        )


def _cmd_sync(ws: Workspace, args: argparse.Namespace) -> None:
    password = None
    if args.password_stdin or (
        not keychain_available() and account.target(ws.store) is not None and sys.stdin.isatty()
    ):
        password = read_password(args.password_stdin)

    def report(done: int, total: int) -> None:
        if not args.json:
            sys.stderr.write(f"\r受信 {done} 件")

    summary = account.run_sync(ws.store, password=password, progress=report)
    if args.json:
        sys.stdout.write(json.dumps(summary.as_json(), ensure_ascii=False) + "\n")
        return
    sys.stderr.write("\n")
    line = (
        f"送信 {summary.pushed} 件、受信 {summary.pulled} 件、統合 {summary.merged} 件、"
        f"競合 {summary.conflicts} 件"
    )
    if summary.files_sent or summary.files_received or summary.files_refused:
        line += f"、ファイル 送信 {summary.files_sent} 件・受信 {summary.files_received} 件"
        if summary.files_refused:
            line += f"・送れなかったもの {summary.files_refused} 件（競合を確認してください）"
    if summary.evicted:
        line += f"、担当から外れた市町村 {' '.join(summary.evicted)} を端末から削除"
    sys.stdout.write(line + "\n")
    if summary.files_problem:  # fetching ahead stopped on this laptop's side (a full disk)
        sys.stdout.write(f"ファイルの事前ダウンロードを止めました: {summary.files_problem}\n")
    if summary.kept:
        sys.stdout.write(
            f"担当から外れた {' '.join(summary.kept)} には未送信の変更があるため残しています\n"
        )


def _cmd_conflicts(ws: Workspace, args: argparse.Namespace) -> None:
    items = open_conflicts(ws.store)
    if args.json:
        rows = [
            {
                k: v
                for k, v in c.as_json().items()
                if k in ("id", "kind", "record_id", "field", "base", "theirs", "mine")
            }
            | {"reason": c.reason, "theirs_by": c.theirs_by, "theirs_at": c.as_json()["theirs_at"]}
            for c in items
        ]
        print_json(rows)
        return
    if not items:
        sys.stdout.write("未解決の競合はありません\n")
    for c in items:
        sys.stdout.write(
            f"{c.id}\t{c.kind}\t{c.record_id}\t{c.field}\t{_other_side(c)}\t"
            f"自分: {json.dumps(c.mine, ensure_ascii=False)}\n"
        )


def _other_side(conflict: OpenConflict) -> str:
    """What met this device's change: the server's refusal, a delete, or the other value."""
    if conflict.reason == "refused":
        return f"サーバーが受け付けませんでした: {conflict.detail}"
    if conflict.theirs is None and conflict.reason == "deleted":
        return f"相手（{conflict.theirs_by or '不明'}）: 削除"
    theirs = json.dumps(conflict.theirs, ensure_ascii=False)
    return f"相手（{conflict.theirs_by or '不明'}）: {theirs}"


def _cmd_resolve(ws: Workspace, args: argparse.Namespace) -> None:
    if args.value is not None:
        try:
            value = json.loads(args.value)
        except json.JSONDecodeError as exc:
            raise ConflictError(f"--value は JSON で指定してください（{exc.msg}）") from None
        resolve(ws.store, args.conflict_id, value=value)
    else:
        resolve(ws.store, args.conflict_id, take=args.take)
    sys.stdout.write(f"競合 {args.conflict_id} を解決しました（次の同期で送ります）\n")


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "login": _cmd_login,
    "logout": _cmd_logout,
    "sync": _cmd_sync,
    "conflicts": _cmd_conflicts,
    "resolve": _cmd_resolve,
}

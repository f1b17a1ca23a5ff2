"""``dxdesk-server user|assign|unassign|devices|revoke|purge-files``: what each prints for the
operator."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from dxdesk.command_line import print_json, read_password
from dxdesk.domain.roster import load_roster
from dxdesk.server import admin, attachment_files, device_wipe, login_throttle
from dxdesk.server.database import ServerDatabase
from dxdesk.server.file_storage import DatabaseFileStorage
from dxdesk.server.settings import Settings


def _in_transaction(
    database: ServerDatabase, work: Callable[..., object], **kwargs: object
) -> object:
    with database.transaction() as session:
        return work(session, **kwargs)


def user(database: ServerDatabase, settings: Settings, args: argparse.Namespace) -> None:
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


def assignment(database: ServerDatabase, settings: Settings, args: argparse.Namespace) -> None:
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


def _device_state(
    device: admin.DeviceSummary, now: datetime, wipe: device_wipe.WipeState | None = None
) -> str:
    if wipe is not None and wipe.delivered_at is not None:
        return f"取消済み・消去済み（{wipe.delivered_at:%Y-%m-%d %H:%M} UTC に消去を指示）"
    if wipe is not None:
        return "取消済み・消去待ち（次の接続で消去）"
    if device.revoked_at:
        return "取消済み"
    if device.expires_at <= now:
        return f"期限切れ（{device.expires_at:%Y-%m-%d}）"
    return f"有効（{device.expires_at:%Y-%m-%d} まで）"


def devices(database: ServerDatabase, args: argparse.Namespace) -> None:
    """An account's devices; those revoked (each password-only sync leaves one) on --all.

    A revoked one is shown anyway when the laptop's next login would keep its grace, or when it
    was revoked as lost (its wipe waiting or delivered).
    """
    with database.transaction() as session:
        every = admin.list_devices(session, name=args.name)
        wipes = device_wipe.wipe_states(session, [d.id for d in every])
    shown = {d.id for d in _carrying_grace(every)} | set(wipes)
    devices = every if args.all else [d for d in every if d.revoked_at is None or d.id in shown]
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
                    "wipe_requested_at": _iso(wipes[d.id].requested_at if d.id in wipes else None),
                    "wipe_delivered_at": _iso(wipes[d.id].delivered_at if d.id in wipes else None),
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
        state = _device_state(d, now, wipes.get(d.id))
        print(f"{d.id}\t{d.name}\t{state}\t最終接続 {seen}{grace}")
    if hidden := len(every) - len(devices):
        print(f"（取り消し済みの端末 {hidden} 台は --all で表示します）")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def revoke(database: ServerDatabase, args: argparse.Namespace) -> None:
    if args.wipe and args.cancel_wipe:
        raise admin.AdminError("--wipe と --cancel-wipe は一緒に指定できません")
    if args.cancel_wipe:
        _cancel_wipe(database, args.device_id)
        return
    if not args.wipe:
        _in_transaction(database, admin.revoke_device, device_id=args.device_id)
        print(f"端末 {args.device_id} の登録を取り消しました")
        return
    with database.transaction() as session:
        try:
            asked = device_wipe.request_wipe(
                session, device_id=args.device_id, operator=admin.operator_name()
            )
        except device_wipe.UnknownDevice:
            raise admin.AdminError(f"端末 {args.device_id} はありません") from None
    print(
        f"端末 {asked.device_id}（{asked.name}）の登録を取り消し、消去を指示しました"
        "（次にサーバーに接続したとき、端末内のデータとログイン情報を消します）"
    )
    for later in asked.later_logins:
        print(
            f"同じ端末がその後ログインした登録 {later} も取り消し、消去を指示しました"
            "（端末鍵で同じ端末と確かめた登録です）"
        )


def _cancel_wipe(database: ServerDatabase, device_id: str) -> None:
    with database.transaction() as session:
        try:
            withdrawn = device_wipe.cancel_wipe(
                session, device_id=device_id, operator=admin.operator_name()
            )
        except device_wipe.UnknownDevice:
            raise admin.AdminError(f"端末 {device_id} はありません") from None
        except device_wipe.AlreadyTold as told:
            raise admin.AdminError(
                f"端末 {device_id} には {told.delivered_at:%Y-%m-%d %H:%M} UTC に消去を伝えてあり、"
                "取り下げられません（端末はすでにデータを消しています）"
            ) from None
    if not withdrawn:
        print(f"端末 {device_id} には消去の指示がありません（何も変えていません）")
        return
    print(
        f"端末 {', '.join(withdrawn)} の消去の指示を取り下げました（登録は取り消したままです。"
        "端末はもう一度ログインすれば使えます）"
    )


def purge_files(database: ServerDatabase, args: argparse.Namespace) -> None:
    files, freed = attachment_files.purge_deleted(
        database,
        DatabaseFileStorage(database),
        older_than=timedelta(days=args.days),
        operator=admin.operator_name(),
    )
    print(
        f"削除から {args.days} 日を過ぎた添付ファイル {files} 件の中身"
        f"（{freed / 1024**2:.1f} MB）をデータベースから消しました"
    )

"""Which server this data folder syncs with, as whom; login, logout, one sync, the status.

The CLI and the app both call these. The server URL, user and CA file live in the store's
metadata; the token only in the keychain (credentials.py).
"""

from __future__ import annotations

import contextlib
import getpass
import socket
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx

from dxdesk.domain.progress import CancelToken, Progress, no_progress
from dxdesk.models.store import META_DEMO, META_SYNC_ROLE, META_SYNC_USER, Store
from dxdesk.services.assignment import set_assignment
from dxdesk.sync import credentials
from dxdesk.sync.api_client import (
    LoginRequired,
    SyncApiClient,
    SyncError,
    WipeOrdered,
    build_client,
    check_server_url,
)
from dxdesk.sync.conflicts import open_conflict_count
from dxdesk.sync.engine import META_LAST_SUCCESS, SyncEngine
from dxdesk.sync.pull import META_CURSOR
from dxdesk.sync.summary import SyncSummary

META_SERVER = "sync_server"
META_USER = META_SYNC_USER
META_CA_FILE = "sync_ca_file"
META_DEVICE = "sync_device_id"


@dataclass(frozen=True)
class SyncTarget:
    server: str
    user: str
    ca_file: str | None


@dataclass(frozen=True)
class SyncStatus:
    target: SyncTarget | None
    logged_in: bool  # a token is in the keychain
    pending_records: int
    open_conflicts: int
    last_success: datetime | None


def device_name() -> str:
    try:
        return f"{getpass.getuser()}@{socket.gethostname()}"
    except (KeyError, OSError):
        return socket.gethostname()


def target(store: Store) -> SyncTarget | None:
    server, user = store.meta(META_SERVER), store.meta(META_USER)
    if not server or not user:
        return None
    return SyncTarget(server, user, store.meta(META_CA_FILE) or None)


def status(store: Store) -> SyncStatus:
    where = target(store)
    last = store.meta(META_LAST_SUCCESS)
    return SyncStatus(
        target=where,
        logged_in=where is not None
        and credentials.load_token(where.server, where.user) is not None,
        pending_records=store.pending_record_count(),
        open_conflicts=open_conflict_count(store),
        last_success=datetime.fromisoformat(last) if last else None,
    )


def _transport(where: SyncTarget, client: httpx.Client | None, token: str | None) -> SyncApiClient:
    return SyncApiClient(client or build_client(where.server, ca_file=where.ca_file), token=token)


def login(
    store: Store,
    *,
    server: str,
    user: str,
    password: str,
    ca_file: str | None = None,
    client: httpx.Client | None = None,
) -> bool:
    """Log in and keep the token in the keychain; False when there is no keychain to keep it."""
    server = str(check_server_url(server)).rstrip("/")
    if ca_file:
        ca_file = str(Path(ca_file).expanduser().resolve())
    if store.meta(META_DEMO):
        raise SyncError(
            "デモデータのフォルダからはログインできません（作り物の記録がサーバーに送られます）。"
            "自分のデータフォルダで起動してください"
        )
    previous = target(store)
    if (
        previous is not None
        and store.meta(META_CURSOR)
        and (previous.server, previous.user) != (server, user)
    ):
        raise SyncError(
            f"このデータフォルダは {previous.server} に {previous.user} として同期しています。"
            "別のサーバーや利用者には別のデータフォルダを使ってください"
        )
    where = SyncTarget(server, user, ca_file)
    transport = _transport(where, client, None)
    # Proves a laptop that logged in before: its right password passes while someone else's
    # wrong ones throttle this account (the server's login_throttle.py).
    device_key = credentials.load_device_key(server, user)
    keychain = credentials.keychain_available()
    try:
        try:
            answer = transport.login(user, password, device_name(), device_key)
        except WipeOrdered as order:
            raise addressed(order, where) from None
        transport.set_token(answer.token)
        scope = _scope(transport)
        if not keychain:
            # Nowhere to keep the token: the server forgets it now, on the same connection
            # (an injected client is closed with the transport); if it cannot, the token
            # expires on its own.
            with contextlib.suppress(SyncError):
                transport.logout()
    finally:
        transport.close()
    store.set_meta(META_SERVER, server)
    store.set_meta(META_USER, user)
    store.set_meta(META_CA_FILE, ca_file or "")
    store.set_meta(META_DEVICE, answer.device_id)
    # What this folder may do on its own (a coordinator's: loading a survey definition).
    store.set_meta(META_SYNC_ROLE, answer.role)
    if scope is not None:
        # Known from now on, not only after the first sync: a record outside it is refused
        # when it is made (services/assignment.py), instead of coming back as a conflict.
        with store.transaction() as session:
            set_assignment(session, scope)
    if not keychain:
        return False
    credentials.save_token(server, user, answer.token)
    if answer.device_key:
        credentials.save_device_key(server, user, answer.device_key)
    return True


def addressed(order: WipeOrdered, where: SyncTarget) -> WipeOrdered:
    """The order with the account whose keychain entries the wipe deletes (sync/wipe.py, once
    the store is closed). Kept until then: a laptop stopped before it erased is told again."""
    order.server, order.user = where.server, where.user
    return order


def _scope(transport: SyncApiClient) -> list[str] | None:
    """The account's municipalities; None if the server did not say (the first pull will)."""
    try:
        return transport.me().scope
    except SyncError:
        return None


def logout(store: Store, *, client: httpx.Client | None = None) -> bool:
    """Forget the token here and tell the server; False if the server could not be told."""
    where = target(store)
    if where is None:
        return True
    token = credentials.load_token(where.server, where.user)
    credentials.delete_token(where.server, where.user)
    # Logging out revokes this device on the server, which ends its key too.
    credentials.delete_device_key(where.server, where.user)
    if token is None:
        return True
    transport = _transport(where, client, token)
    try:
        transport.logout()
        return True
    except SyncError:
        return False
    finally:
        transport.close()


def run_sync(
    store: Store,
    *,
    password: str | None = None,
    client: httpx.Client | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    extract_text: bool = True,
) -> SyncSummary:
    """One sync. Without a stored token, ``password`` logs in for this sync only;
    ``extract_text``: see SyncEngine."""
    where = target(store)
    if where is None:
        raise LoginRequired("まだログインしていません（dxdesk login でサーバーを指定してください）")
    token = credentials.load_token(where.server, where.user)
    transient = False
    transport = _transport(where, client, token)
    try:
        if token is None:
            if password is None:
                raise LoginRequired(
                    credentials.NO_KEYCHAIN_MESSAGE
                    if not credentials.keychain_available()
                    else "ログインが必要です"
                )
            # No device key: this login's device is revoked right after, and the key with it.
            transport.set_token(transport.login(where.user, password, device_name()).token)
            transient = True
        # Asked at every sync, not only at login: an operator may make an advisor a coordinator
        # (or back), and what this folder may do on its own follows (META_SYNC_ROLE's readers,
        # such as loading a survey definition, which only a coordinator may do).
        store.set_meta(META_SYNC_ROLE, transport.me().role)
        engine = SyncEngine(
            store, transport, progress=progress, cancel=cancel, extract_text=extract_text
        )
        return engine.sync()
    except WipeOrdered as order:  # nothing more is sent: the finally below logs out
        raise addressed(order, where) from None  # only a login of this sync's own
    except LoginRequired:
        if token is not None:
            credentials.delete_token(where.server, where.user)  # revoked or expired
        raise
    finally:
        if transient:
            with contextlib.suppress(SyncError):
                transport.logout()
        transport.close()

"""Fetching one attachment's bytes for a person who opens it, outside a sync: the window's
「開く」 and ``dxdesk attachments get`` call this with the stored login (sync/account.py)."""

from __future__ import annotations

import httpx

from dxdesk.domain.progress import CancelToken, Progress
from dxdesk.models.store import Store
from dxdesk.sync import account, credentials
from dxdesk.sync.api_client import LoginRequired, SyncApiClient, WipeOrdered, build_client
from dxdesk.sync.files import download_one


def fetch_file(
    store: Store,
    attachment_id: str,
    *,
    client: httpx.Client | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> None:
    """Download the attachment's bytes unless they are here (sync/files.py, download_one)."""
    where = account.target(store)
    if where is None:
        raise LoginRequired(
            "このファイルはまだこの端末にありません。同期サーバーにログインすると受け取れます"
        )
    token = credentials.load_token(where.server, where.user)
    if token is None:
        raise LoginRequired("このファイルを受け取るにはログインが必要です（ファイル → ログイン…）")
    transport = SyncApiClient(
        client or build_client(where.server, ca_file=where.ca_file), token=token
    )
    try:
        download_one(store, transport, attachment_id, progress=progress, cancel=cancel)
    except WipeOrdered as order:
        raise account.addressed(order, where) from None
    finally:
        transport.close()

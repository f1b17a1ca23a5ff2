"""What every request may depend on: the database, the protocol header, the caller, the
storage of files."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dxdesk.server.auth import Caller, authenticate
from dxdesk.server.database import ServerDatabase
from dxdesk.server.file_storage import FileStorage
from dxdesk.server.problems import ProblemError
from dxdesk.server.settings import Settings
from dxdesk.server.tables import Device
from dxdesk.sql_common import utc_now
from dxdesk.wire.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

LAST_SEEN_RESOLUTION = timedelta(minutes=5)


def get_database(request: Request) -> ServerDatabase:
    database: ServerDatabase = request.app.state.database
    return database


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_file_storage(request: Request) -> FileStorage:
    storage: FileStorage = request.app.state.file_storage
    return storage


Database = Annotated[ServerDatabase, Depends(get_database)]
CurrentSettings = Annotated[Settings, Depends(get_settings)]
Storage = Annotated[FileStorage, Depends(get_file_storage)]


def protocol_mismatch(client: str | None) -> ProblemError | None:
    if client == str(PROTOCOL_VERSION):
        return None
    try:
        client_version = int(client or "")
    except ValueError:
        return ProblemError(
            400,
            "protocol-mismatch",
            "Protocol version missing",
            f"DX Desk の同期プロトコルの版（{PROTOCOL_HEADER} ヘッダー）がありません",
            server_protocol=PROTOCOL_VERSION,
        )
    if client_version < PROTOCOL_VERSION:
        detail = "アプリの版が古いため同期できません。DX Desk を更新してください"
        update = "app"
    else:
        detail = "サーバーの版が古いため同期できません。サーバーの管理者に更新を依頼してください"
        update = "server"
    return ProblemError(
        400,
        "protocol-mismatch",
        "Protocol version mismatch",
        f"{detail}（アプリ: {client_version}、サーバー: {PROTOCOL_VERSION}）",
        client_protocol=client_version,
        server_protocol=PROTOCOL_VERSION,
        update=update,
    )


def check_protocol(
    # Optional here so that a request without it gets the protocol-mismatch answer below; the
    # OpenAPI document marks it required (server/reference.py).
    protocol: Annotated[
        str | None,
        Header(
            alias=PROTOCOL_HEADER,
            description=f"The sync protocol version of the client; this server: {PROTOCOL_VERSION}",
        ),
    ] = None,
) -> None:
    problem = protocol_mismatch(protocol)
    if problem is not None:
        raise problem


_bearer = HTTPBearer(auto_error=False)


def current_caller(
    database: Database,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Caller:
    if credentials is None:
        raise ProblemError(
            401,
            "unauthorized",
            "Unauthorized",
            "ログインが必要です",
            headers={"WWW-Authenticate": "Bearer"},
        )
    with database.transaction() as session:
        caller = authenticate(session, credentials.credentials)
        device = session.get(Device, caller.device_id)
        now = utc_now()
        if device is not None and (
            device.last_seen_at is None or now - device.last_seen_at > LAST_SEEN_RESOLUTION
        ):
            device.last_seen_at = now
    return caller


CurrentCaller = Annotated[Caller, Depends(current_caller)]

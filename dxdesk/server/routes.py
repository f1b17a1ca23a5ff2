"""The HTTP endpoints: thin, each one transaction around a function of auth, push or pull."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from dxdesk.server import auth, login_throttle
from dxdesk.server.connections import address_key
from dxdesk.server.dependencies import CurrentCaller, CurrentSettings, Database, check_protocol
from dxdesk.server.problems import ProblemError, problem_responses
from dxdesk.server.pull import pull
from dxdesk.server.push import apply_push
from dxdesk.wire.protocol import (
    PROTOCOL_VERSION,
    RETENTION_HEADER,
    Health,
    LoginRequest,
    LoginResponse,
    Me,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)

health_router = APIRouter()
api = APIRouter(prefix="/api/v1", dependencies=[Depends(check_protocol)])


@health_router.get("/healthz", responses=problem_responses(503, invalid_input=False))
def healthz(database: Database) -> Health:
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        raise ProblemError(
            503, "database-unavailable", "Database unavailable", "データベースに接続できません"
        ) from None
    return Health(status="ok", protocol=PROTOCOL_VERSION)


@api.post("/login", responses=problem_responses(400, 401, 403, 413, 429))
def login(
    body: LoginRequest, request: Request, database: Database, settings: CurrentSettings
) -> LoginResponse:
    # Counted as the connection cap counts it: an IPv6 client has its /64 whole, and a new
    # address in it for every guess would otherwise be a new bucket every time.
    address = address_key(request.client.host) if request.client else "unknown"

    def begin() -> auth.LoginAttempt:
        with database.transaction() as session:
            return auth.begin_login(
                session, settings, user=body.user, address=address, device_key=body.device_key
            )

    # Three transactions: the throttle lets the attempt through (its pending row committed;
    # it may wait for other checks in flight first), the password is checked holding nothing,
    # then the token is issued or the row made a failure and audited.
    attempt = login_throttle.waiting_for_checks_in_flight(settings, begin)
    try:
        auth.check_password(attempt, body.password)
    except auth.BadCredentials as failure:
        with database.transaction() as session:
            login_throttle.failed(session, failure_id=attempt.failure_id)
            auth.record_login_failure(session, attempt)
        raise failure.problem() from None
    try:
        with database.transaction() as session:
            issued = auth.login(session, settings, attempt=attempt, device_name=body.device_name)
    except ProblemError:  # refused after a right password: its row, if still there, is a failure
        # (a disabled account's row is already gone: auth.login forgets it and audits the attempt)
        with database.transaction() as session:
            login_throttle.failed(session, failure_id=attempt.failure_id)
        raise
    return LoginResponse(
        token=issued.token,
        device_id=issued.device_id,
        expires_at=issued.expires_at,
        user=issued.user,
        role=issued.role,  # type: ignore[arg-type]
        device_key=issued.device_key,
    )


@api.post("/logout", status_code=204, responses=problem_responses(400, 401, 403))
def logout(caller: CurrentCaller, database: Database) -> Response:
    with database.transaction() as session:
        auth.logout(session, caller)
    return Response(status_code=204)


@api.get("/me", responses=problem_responses(400, 401, 403))
def me(caller: CurrentCaller, database: Database) -> Me:
    with database.transaction() as session:
        scope = sorted(auth.scope_codes(session, caller))
    return Me(user=caller.user, role=caller.role, device_id=caller.device_id, scope=scope)  # type: ignore[arg-type]


@api.post("/sync/push", responses=problem_responses(400, 401, 403, 404, 409, 413))
def push(
    body: PushRequest, caller: CurrentCaller, database: Database, settings: CurrentSettings
) -> PushResponse:
    with database.transaction() as session:
        return apply_push(session, caller, body, max_file_bytes=settings.max_file_bytes)


@api.post("/sync/pull", responses=problem_responses(400, 401, 403, 413))
def sync_pull(
    body: PullRequest,
    caller: CurrentCaller,
    database: Database,
    settings: CurrentSettings,
    response: Response,
) -> PullResponse:
    response.headers[RETENTION_HEADER] = str(settings.retention_days)
    with database.transaction() as session:
        return pull(session, caller, body)

"""Talking to the server: TLS verified, retries where a retry can help, problems as errors.

The ``httpx.Client`` is injected so that unit tests can hand in an ``httpx.MockTransport``;
``build_client`` makes the real one. No error message, log line or exception carries the token.
"""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Final, TypeVar

import httpx
import truststore
from pydantic import BaseModel, ValidationError

from dxdesk.sync.file_problems import file_refusal
from dxdesk.wire.files import FILES_PATH, OCTET_STREAM, UploadState, file_path, upload_path
from dxdesk.wire.protocol import (
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    RETENTION_HEADER,
    LoginRequest,
    LoginResponse,
    Me,
    PullRequest,
    PullResponse,
    PushRequest,
    PushResponse,
)
from dxdesk.wire.wipe import WIPE_CODE, proof_matches

LOOPBACK_HOSTS: Final = frozenset({"localhost", "127.0.0.1", "::1"})
# 408: the server's bound on a slow client (its head or body not in within 10 s) cut the
# request off before the app saw it, so nothing was done: a stalled link's request goes again.
# Only requests sent with retry=True (push, pull, me, logout), never a login.
RETRY_STATUSES: Final = frozenset({408, 429, 502, 503, 504})
MAX_RETRY_WAIT: Final = 60.0
STREAM_CHUNK: Final = 1 << 16  # what a download hands on at a time: memory stays flat
_RANGE: Final = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")

UNREADABLE: Final = "サーバーの応答が読めません（サーバーの版を確認してください）"

Model = TypeVar("Model", bound=BaseModel)


class SyncError(Exception):
    """Sync could not be done; the message is one Japanese sentence for the user."""


class Offline(SyncError):
    """The server could not be reached (after retries)."""


class LoginRequired(SyncError):
    """The token is missing, revoked or expired: ask the user to log in again."""


class WipeOrdered(SyncError):
    """The server, with proof (wire/wipe.py), orders this laptop revoked as lost to wipe itself:
    stop at once, send nothing more, and erase (sync/wipe.py). ``server`` and ``user`` are set
    by who knows them (sync/account.py), for the keychain entries to delete."""

    def __init__(self, message: str, device_id: str) -> None:
        super().__init__(message)
        self.device_id = device_id
        self.server = ""
        self.user = ""


class ServerRefused(SyncError):
    """The server answered with a problem that a retry will not fix."""

    def __init__(self, message: str, *, status: int, code: str, problem: dict[str, Any]) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.problem = problem


@dataclass
class FileStream:
    """A download under way: the bytes from ``start`` of a file of ``total`` bytes."""

    start: int
    total: int
    response: httpx.Response

    @classmethod
    def of(cls, response: httpx.Response, asked: int) -> FileStream:
        """Where the answer starts: 206 names its range, 200 is the whole file."""
        if response.status_code == 206:
            match = _RANGE.match(response.headers.get("Content-Range", ""))
            if match is None or int(match[1]) != asked:
                raise SyncError(UNREADABLE)
            return cls(int(match[1]), int(match[3]), response)
        length = response.headers.get("Content-Length", "")
        if not length.isdigit():
            raise SyncError(UNREADABLE)
        return cls(0, int(length), response)

    def chunks(self) -> Iterator[bytes]:
        """The bytes as they arrive; a cut link is Offline (what arrived stays usable)."""
        try:
            yield from self.response.iter_bytes(STREAM_CHUNK)
        except (httpx.TransportError, httpx.TimeoutException) as exc:
            raise Offline(_offline_message(exc)) from None


def check_server_url(url: str) -> httpx.URL:
    """Only https, except http to this machine (a trial server with --insecure-http)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise SyncError(f"サーバーの URL {url!r} が読めません") from None
    if parsed.scheme == "https" and parsed.host:
        return parsed
    if parsed.scheme == "http" and parsed.host in LOOPBACK_HOSTS:
        return parsed
    if parsed.scheme == "http":
        raise SyncError(
            "暗号化されていない http:// では接続できません（https:// の URL を指定してください）"
        )
    raise SyncError(f"サーバーの URL {url!r} は https:// で始めてください")


def tls_context(ca_file: str | None) -> ssl.SSLContext:
    """The OS trust store, or only the CA file the user chose at login."""
    if ca_file:
        try:
            return ssl.create_default_context(cafile=ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise SyncError(f"CA ファイル {ca_file} を読めません: {exc}") from None
    return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def build_client(url: str, *, ca_file: str | None = None, timeout: float = 30.0) -> httpx.Client:
    base = check_server_url(url)
    return httpx.Client(
        base_url=base,
        verify=tls_context(ca_file),
        timeout=httpx.Timeout(timeout, connect=10.0),
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        follow_redirects=False,
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    if value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


class SyncApiClient:
    def __init__(
        self,
        client: httpx.Client,
        *,
        token: str | None = None,
        attempts: int = 5,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._token = token
        self._login_key: str | None = None  # the device key sent with the login under way
        self._attempts = attempts
        self._backoff = backoff
        self._sleep = sleep
        # The server's retention period, as its last pull told it (None: not told).
        self.retention_days: int | None = None
        client.headers[PROTOCOL_HEADER] = str(PROTOCOL_VERSION)

    def set_token(self, token: str | None) -> None:
        self._token = token

    def close(self) -> None:
        self._client.close()

    # -- the endpoints -------------------------------------------------------------------

    def login(
        self, user: str, password: str, device_name: str, device_key: str | None = None
    ) -> LoginResponse:
        body = LoginRequest(
            user=user, password=password, device_name=device_name, device_key=device_key
        )
        # A login is not retried on a lost answer: the retry would make a second device.
        # Without a key the member is left out, as a server before device keys expects.
        content = body.model_dump_json(exclude_none=True).encode()
        self._login_key = device_key
        try:
            response = self._send("POST", "/api/v1/login", content, retry=False)
        finally:
            self._login_key = None
        return _parse(LoginResponse, response)

    def logout(self) -> None:
        self._send("POST", "/api/v1/logout", None)

    def me(self) -> Me:
        return _parse(Me, self._send("GET", "/api/v1/me", None))

    def push(self, request: PushRequest) -> PushResponse:
        # Safe to retry: the push id makes a replay return the first answer.
        return _parse(PushResponse, self._send("POST", "/api/v1/sync/push", request))

    def pull(self, request: PullRequest) -> PullResponse:
        # Only a restored backup's catch-up sends ``after_restore``; every other pull leaves the
        # member out, as pulls did before it existed.
        leave_out = None if request.after_restore else {"after_restore"}
        body = request.model_dump_json(exclude=leave_out).encode()
        response = self._send("POST", "/api/v1/sync/pull", body)
        told = response.headers.get(RETENTION_HEADER, "")
        if told.isdigit():  # a server before the header tells nothing
            self.retention_days = int(told)
        return _parse(PullResponse, response)

    # -- the bytes of attachments (the contract in dxdesk/wire/files.py) ----------------------

    def upload_state(self, attachment_id: str) -> UploadState:
        """How many bytes of the attachment the server holds, and whether they are complete."""
        return _parse(UploadState, self._send("GET", upload_path(attachment_id), None))

    def upload_chunk(
        self, attachment_id: str, offset: int, chunk: Iterable[bytes], length: int
    ) -> UploadState:
        """Stream ``length`` bytes at ``offset``. Not retried here: after a cut the caller
        asks ``upload_state`` how much arrived and goes on from there."""
        headers = {**self._auth(), "Content-Type": OCTET_STREAM}
        headers["Content-Length"] = str(length)
        try:
            response = self._client.request(
                "PUT",
                upload_path(attachment_id),
                params={"offset": offset},
                content=chunk,
                headers=headers,
            )
        except (httpx.TransportError, httpx.TimeoutException) as exc:
            raise Offline(_offline_message(exc)) from None
        return _parse(UploadState, self._checked(response))

    @contextmanager
    def download(self, attachment_id: str, offset: int = 0) -> Iterator[FileStream]:
        """The attachment's bytes from ``offset`` (a Range request), streamed as they come."""
        headers = self._auth()
        if offset:
            headers["Range"] = f"bytes={offset}-"
        request = self._client.build_request("GET", file_path(attachment_id), headers=headers)
        for attempt in range(1, self._attempts + 1):
            try:
                response = self._client.send(request, stream=True)
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                if attempt == self._attempts or _certificate_failed(exc):
                    raise Offline(_offline_message(exc)) from None
                self._sleep(self._backoff * 2 ** (attempt - 1))
                continue
            try:
                if response.status_code in RETRY_STATUSES and attempt < self._attempts:
                    self._sleep(self._backoff * 2 ** (attempt - 1))
                    continue
                if not response.is_success:
                    response.read()
                    self._checked(response)
                yield FileStream.of(response, offset)
                return
            finally:
                response.close()

    def healthy(self) -> bool:
        try:
            return self._client.get("/healthz", timeout=5.0).status_code == 200
        except httpx.HTTPError:
            return False

    # -- the machinery -------------------------------------------------------------------

    def _send(
        self, method: str, path: str, body: BaseModel | bytes | None, *, retry: bool = True
    ) -> httpx.Response:
        """The successful response, after retries; any other outcome raises a SyncError."""
        headers = self._auth()
        content = body.model_dump_json().encode() if isinstance(body, BaseModel) else body
        if content is not None:
            headers["Content-Type"] = "application/json"
        attempts = self._attempts if retry else 1
        for attempt in range(1, attempts + 1):
            wait = self._backoff * 2 ** (attempt - 1)
            try:
                response = self._client.request(method, path, content=content, headers=headers)
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                if attempt == attempts or _certificate_failed(exc):
                    raise Offline(_offline_message(exc)) from None
                self._sleep(wait)
                continue
            if response.status_code in RETRY_STATUSES and attempt < attempts:
                self._sleep(min(MAX_RETRY_WAIT, _retry_after(response) or wait))
                continue
            return self._checked(response)
        raise AssertionError("unreachable")  # pragma: no cover

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"} if self._token else {}

    def _checked(self, response: httpx.Response) -> httpx.Response:
        if response.is_success:
            return response
        problem = _problem(response)
        detail = str(
            problem.get("detail") or f"サーバーがエラーを返しました（{response.status_code}）"
        )
        code = str(problem.get("type", "")).rsplit("/", 1)[-1]
        if response.status_code == 401:
            if code == WIPE_CODE:
                self._check_wipe_order(detail, problem)
            raise LoginRequired(detail)
        if response.status_code == 408:
            raise Offline(f"回線が遅く、サーバーが時間内に受け取れませんでした: {detail}")
        if response.status_code in RETRY_STATUSES - {429}:
            raise Offline(f"サーバーが混み合っています: {detail}")
        on_files = response.url.path.startswith(FILES_PATH + "/")
        detail = file_refusal(response.status_code, code, problem, on_files=on_files) or detail
        raise ServerRefused(detail, status=response.status_code, code=code, problem=problem)

    def _check_wipe_order(self, detail: str, problem: dict[str, Any]) -> None:
        """Raise WipeOrdered when the order's proof was made with the secret this request sent;
        otherwise (forged, damaged) the caller reads it as a plain 401."""
        device_id, proof = problem.get("device_id"), problem.get("proof")
        secret = self._login_key or self._token
        if proof_matches(secret, device_id, proof):
            raise WipeOrdered(detail, str(device_id))


def _parse(model: type[Model], response: httpx.Response) -> Model:
    try:
        return model.model_validate_json(response.content)
    except ValidationError:
        raise SyncError(UNREADABLE) from None


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _certificate_failed(exc: Exception) -> bool:
    return isinstance(exc, httpx.ConnectError) and "CERTIFICATE_VERIFY_FAILED" in str(exc)


def _offline_message(exc: Exception) -> str:
    if _certificate_failed(exc):
        return "サーバーの証明書を確認できません（CA ファイルか URL を確認してください）"
    if isinstance(exc, httpx.TimeoutException):
        return "サーバーの応答がありません（時間切れ）"
    return "サーバーに接続できません（オフラインか、URL が違います）"

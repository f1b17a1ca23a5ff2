"""A push whose link stalls past the server's body bound is sent again and goes through once.

The real ``dxdesk-server serve`` over TLS with ``--body-timeout 1``; between it and the laptop's
transport a proxy that, on the first connection only, passes the TLS handshake and the request's
head, then holds the rest (the body) for longer than the bound, as a laptop's stalled link would.
The server answers 408 and uses nothing of the request; the transport sends the push again.
"""

from __future__ import annotations

import contextlib
import socket
import time
from pathlib import Path

import pytest

from dxdesk.server import admin
from dxdesk.server.database import connect, initialise
from dxdesk.sync.api_client import SyncApiClient, build_client
from dxdesk.wire.protocol import PullRequest, PushRequest
from tests.e2e.tcp_proxy import TcpProxy
from tests.server.fixtures import PASSWORD, new_id, server_process, visit_change

WAKAYAMA = "302015"
BODY_TIMEOUT_S = 1
STALL_S = BODY_TIMEOUT_S + 3.0
APPLICATION_DATA = 0x17
# The client's first TLS application-data record is its handshake's Finished (TLS 1.3), the
# second the request's head; the body follows in its own records.
RECORDS_PASSED = 2


class StallingProxy(TcpProxy):
    """Holds the first connection's bytes towards the server after RECORDS_PASSED
    application-data records, for STALL_S, once."""

    stalls: int = 0
    _armed: bool = True

    def _pump(
        self,
        source: socket.socket,
        sink: socket.socket,
        towards_server: bool,
        client: socket.socket,
        upstream: socket.socket,
    ) -> None:
        with self._lock:
            stalling = towards_server and self._armed
            if stalling:
                self._armed = False
        if not stalling:
            super()._pump(source, sink, towards_server, client, upstream)
            return
        with contextlib.suppress(OSError):
            passed, pending = 0, b""
            while True:
                data = source.recv(65536)
                if not data:
                    break
                pending += data
                while len(pending) >= 5 and passed < RECORDS_PASSED:
                    size = 5 + int.from_bytes(pending[3:5], "big")
                    if len(pending) < size:
                        break
                    passed += pending[0] == APPLICATION_DATA
                    sink.sendall(pending[:size])
                    pending = pending[size:]
                if passed == RECORDS_PASSED and pending:
                    self.stalls += 1
                    time.sleep(STALL_S)  # the body waits; the server's bound runs out
                    sink.sendall(pending)
                    pending = b""
                    passed += 1
                elif passed > RECORDS_PASSED:
                    sink.sendall(pending)
                    pending = b""
        for each in (client, upstream):
            with contextlib.suppress(OSError):
                each.shutdown(socket.SHUT_RDWR)
            each.close()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = connect(url)
    initialise(database)
    with database.transaction() as session:
        admin.add_user(session, name="tanaka", role="advisor", password=PASSWORD)
        admin.assign(session, name="tanaka", codes=(WAKAYAMA,))
    database.close()
    return url


def test_a_push_cut_off_by_the_body_bound_is_sent_again_and_stored_once(
    database_url: str, tmp_path: Path
) -> None:
    options = ("--body-timeout", str(BODY_TIMEOUT_S))
    with server_process(database_url, tmp_path / "tls", 0, *options) as (_, base_url):
        ca = str(tmp_path / "tls" / "dev-ca.pem")
        port = int(base_url.rsplit(":", 1)[1])
        with build_client(base_url, ca_file=ca) as direct:
            login = direct.post(
                "/api/v1/login",
                json={"user": "tanaka", "password": PASSWORD, "device_name": "laptop"},
            )
        token = login.json()["token"]
        proxy = StallingProxy(port)
        try:
            # The waits between attempts are recorded but not slept: only the stall takes time.
            waits: list[float] = []
            client = build_client(f"https://localhost:{proxy.port}", ca_file=ca)
            transport = SyncApiClient(client, token=token, sleep=waits.append)
            try:
                visit = visit_change(new_id(), WAKAYAMA)
                answer = transport.push(
                    PushRequest.model_validate({"push_id": new_id(), "changes": [visit]})
                )
                assert proxy.stalls == 1 and len(waits) == 1, (proxy.stalls, waits)
                assert [r.status for r in answer.results] == ["applied"], answer
                page = transport.pull(PullRequest())
                assert [r.id for r in page.records] == [visit["id"]]
            finally:
                transport.close()
        finally:
            proxy.close()

"""revoke --wipe on the server: the order at the device's next contact, proved, delivered once
and repeated; a plain revoke and the account's other laptops unchanged (server/device_wipe.py)."""

from __future__ import annotations

import json
from collections.abc import Mapping

import httpx
import pytest
from sqlalchemy import select

from dxdesk.server.cli import main as server_main
from dxdesk.server.tables import Device
from dxdesk.sync.api_client import LoginRequired, SyncApiClient, WipeOrdered
from dxdesk.wire.wipe import WIPE_CODE, proof_matches, wipe_proof
from tests.server.fixtures import PASSWORD, RunningServer, add_user


def _login(server: RunningServer, name: str) -> dict[str, str]:
    with server.client() as client:
        answer = client.post(
            "/api/v1/login", json={"user": "tanaka", "password": PASSWORD, "device_name": name}
        )
    assert answer.status_code == 200, answer.text
    body: dict[str, str] = answer.json()
    return body


def _operator(
    server: RunningServer, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str]:
    url = server.database.engine.url.render_as_string(hide_password=False)
    status = server_main(["--db", url, *args])
    return status, capsys.readouterr().out


def _me(server: RunningServer, token: str) -> httpx.Response:
    with server.client() as client:
        return client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_the_lost_laptop_is_ordered_at_each_contact_and_the_delivery_is_listed(
    server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_user(server.database, "tanaka")
    lost, other = _login(server, "lost-pc"), _login(server, "other-pc")
    status, out = _operator(server, capsys, "revoke", lost["device_id"], "--wipe")
    assert status == 0 and "消去を指示しました" in out
    _, listed = _operator(server, capsys, "devices", "tanaka")
    assert "消去待ち" in listed  # shown without --all, though revoked

    first = _me(server, lost["token"])
    assert first.status_code == 401
    problem = first.json()
    assert problem["type"].endswith(WIPE_CODE) and problem["device_id"] == lost["device_id"]
    assert proof_matches(lost["token"], lost["device_id"], problem["proof"])
    assert not proof_matches(other["token"], lost["device_id"], problem["proof"])
    with server.database.transaction() as session:
        delivered = session.get(Device, lost["device_id"])
        assert delivered is not None and delivered.wipe_delivered_at is not None
        at = delivered.wipe_delivered_at
    # Idempotent: told again (the first answer may have been lost), first delivery kept.
    again = _me(server, lost["token"])
    assert again.status_code == 401 and again.json()["proof"] == problem["proof"]
    # The device key alone, with a wrong password, gets the order too (a thief's login).
    with server.client() as client:
        login = client.post(
            "/api/v1/login",
            json={
                "user": "tanaka",
                "password": "not the password",
                "device_name": "lost-pc",
                "device_key": lost["device_key"],
            },
        )
    assert login.status_code == 401
    assert proof_matches(lost["device_key"], lost["device_id"], login.json()["proof"])
    with server.database.transaction() as session:
        device = session.get(Device, lost["device_id"])
        assert device is not None and device.wipe_delivered_at == at
    # The account's other laptop works on.
    assert _me(server, other["token"]).status_code == 200
    _, listed = _operator(server, capsys, "devices", "tanaka", "--json")
    rows = {d["id"]: d for d in json.loads(listed)}
    assert rows[lost["device_id"]]["wipe_delivered_at"] == at.isoformat()
    assert rows[other["device_id"]]["wipe_requested_at"] is None
    _, text = _operator(server, capsys, "devices", "tanaka")
    assert f"消去済み（{at:%Y-%m-%d %H:%M} UTC" in text


def test_a_plain_revoke_asks_for_a_login_as_before(
    server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_user(server.database, "tanaka")
    laptop = _login(server, "pc")
    assert _operator(server, capsys, "revoke", laptop["device_id"])[0] == 0
    answer = _me(server, laptop["token"])
    assert answer.status_code == 401 and "proof" not in answer.json()
    with server.database.transaction() as session:
        assert session.scalar(select(Device.wipe_requested_at)) is None


def test_a_wipe_of_a_revoked_row_reaches_the_laptop_logged_in_again(
    server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plain revoke, a new login of the same laptop (its device key shows it), then the
    laptop reported lost by its old row: the order reaches it through its new login."""
    add_user(server.database, "tanaka")
    first = _login(server, "pc")
    other = _login(server, "other-pc")
    assert _operator(server, capsys, "revoke", first["device_id"])[0] == 0
    with server.client() as client:
        again = client.post(
            "/api/v1/login",
            json={
                "user": "tanaka",
                "password": PASSWORD,
                "device_name": "pc",
                "device_key": first["device_key"],
            },
        )
    assert again.status_code == 200
    second = again.json()
    assert _me(server, second["token"]).status_code == 200
    status, out = _operator(server, capsys, "revoke", first["device_id"], "--wipe")
    assert status == 0 and second["device_id"] in out
    answer = _me(server, second["token"])
    assert answer.status_code == 401
    assert proof_matches(second["token"], second["device_id"], answer.json()["proof"])
    # Another laptop of the account, never shown that key, is not touched.
    assert _me(server, other["token"]).status_code == 200


def test_a_wipe_is_withdrawn_until_the_laptop_is_told(
    server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    add_user(server.database, "tanaka")
    found, lost = _login(server, "found-pc"), _login(server, "lost-pc")
    for laptop in (found, lost):
        assert _operator(server, capsys, "revoke", laptop["device_id"], "--wipe")[0] == 0
    status, out = _operator(server, capsys, "revoke", found["device_id"], "--cancel-wipe")
    assert status == 0 and "取り下げました" in out
    answer = _me(server, found["token"])  # revoked, not told to wipe: a plain login request
    assert answer.status_code == 401 and "proof" not in answer.json()
    assert "proof" in _me(server, lost["token"]).json()  # told now
    url = server.database.engine.url.render_as_string(hide_password=False)
    assert server_main(["--db", url, "revoke", lost["device_id"], "--cancel-wipe"]) != 0
    assert "取り下げられません" in capsys.readouterr().err
    with server.database.transaction() as session:
        still = session.get(Device, lost["device_id"])
        assert still is not None and still.wipe_requested_at is not None


def test_an_unknown_device_is_one_line(
    server: RunningServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.database.engine.url.render_as_string(hide_password=False)
    assert server_main(["--db", url, "revoke", "no-such-device", "--wipe"]) == 1
    assert "no-such-device はありません" in capsys.readouterr().err


def _answering(problem: Mapping[str, object]) -> SyncApiClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json=problem)

    client = httpx.Client(base_url="https://server.example", transport=httpx.MockTransport(handler))
    return SyncApiClient(client, token="dxd_the-token", attempts=1)


@pytest.mark.parametrize(
    "proof",
    [wipe_proof("dxd_someone-else", "d1"), "", None, wipe_proof("dxd_the-token", "d2")],
    ids=["other-secret", "empty", "missing", "other-device"],
)
def test_an_order_without_the_proof_is_a_plain_login_request(proof: str | None) -> None:
    transport = _answering(
        {"type": f"x/{WIPE_CODE}", "detail": "消去", "device_id": "d1"}
        | ({} if proof is None else {"proof": proof})
    )
    with pytest.raises(LoginRequired):
        transport.me()


def test_an_order_proved_with_the_secret_sent_is_a_wipe_order() -> None:
    transport = _answering(
        {
            "type": f"x/{WIPE_CODE}",
            "detail": "消去",
            "device_id": "d1",
            "proof": wipe_proof("dxd_the-token", "d1"),
        }
    )
    with pytest.raises(WipeOrdered) as order:
        transport.me()
    assert order.value.device_id == "d1"

"""The login throttle counts an IPv6 client by its /64, as the connection cap does (issue 17).

A client usually has a whole /64 and may take a new address in it for every guess: counted by
the full address, each guess was another address's first, and the limits per address (and per
account and address) never filled. The loopback has one IPv6 address, so the app is called in
process, with the client address it would have from the socket.
"""

from __future__ import annotations

import asyncio

import httpx

from dxdesk.server.app import create_app
from dxdesk.server.database import ServerDatabase
from dxdesk.server.settings import Settings
from dxdesk.wire.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.server.fixtures import PASSWORD, add_user

ONE_64 = [f"2001:db8:1:2:{n:x}::{n:x}" for n in range(1, 7)]
ANOTHER_64 = "2001:db8:1:3::1"


def test_guesses_from_new_addresses_of_one_64_fill_one_bucket(server_db: ServerDatabase) -> None:
    add_user(server_db, "tanaka")
    settings = Settings(database_url=server_db.engine.url.render_as_string(hide_password=False))
    app = create_app(settings, server_db)
    limit = settings.max_failures_per_account_and_address
    assert len(ONE_64) == limit + 1

    async def login(address: str, password: str) -> int:
        transport = httpx.ASGITransport(app=app, client=(address, 50000))
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        body = {"user": "tanaka", "password": password, "device_name": "ノートPC"}
        async with httpx.AsyncClient(
            transport=transport, base_url="https://testserver", headers=headers
        ) as client:
            return (await client.post("/api/v1/login", json=body)).status_code

    statuses = [asyncio.run(login(address, "wrong guess")) for address in ONE_64]
    assert statuses == [401] * limit + [429], statuses
    # Another /64 is another client: its right password is let through.
    assert asyncio.run(login(ANOTHER_64, PASSWORD)) == 200

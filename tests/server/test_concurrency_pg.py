"""On PostgreSQL: concurrent pushers never make a puller skip a change; two processes agree."""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dxdesk.server.database import ServerDatabase, connect, initialise
from dxdesk.server.dev_tls import DevCertificates
from tests.server.fixtures import (
    RunningServer,
    add_user,
    new_id,
    pull_all,
    push,
    serve_in_thread,
    server_process,
    visit_change,
)

CODES = ("302015", "302023", "302031")
PUSHERS = 6
PUSHES_EACH = 25


@pytest.fixture
def pg_db(postgres_url: str) -> Iterator[ServerDatabase]:
    database = connect(postgres_url)
    initialise(database)
    yield database
    database.close()


def test_a_puller_sees_every_change_of_concurrent_pushers_once_and_in_order(
    pg_db: ServerDatabase, dev_tls: DevCertificates
) -> None:
    add_user(pg_db, "jimukyoku", role="coordinator")
    with serve_in_thread(pg_db, dev_tls) as server:
        pushed: list[str] = []
        errors: list[str] = []
        lock = threading.Lock()
        done = threading.Event()

        def pusher(seed: int) -> None:
            rng = random.Random(seed)
            client = server.login("jimukyoku", f"pusher-{seed}")
            for _ in range(PUSHES_EACH):
                # Batches of different sizes keep transactions open for different times, so
                # commits land out of the order in which pushes started.
                batch = [new_id() for _ in range(rng.choice((1, 2, 5, 40)))]
                answer = push(client, *(visit_change(i, rng.choice(CODES)) for i in batch))
                with lock:
                    if answer.status_code == 200:
                        pushed.extend(batch)
                    else:
                        errors.append(answer.text)

        seen: list[dict[str, Any]] = []

        def puller() -> None:
            client = server.login("jimukyoku", "puller")
            cursor = None
            while not done.is_set():
                page = client.post("/api/v1/sync/pull", json={"cursor": cursor, "limit": 7})
                assert page.status_code == 200
                body = page.json()
                seen.extend(body["records"])
                cursor = body["cursor"]
            records, _ = pull_all(client, cursor, limit=7)
            seen.extend(records)

        # Daemons, each waited for a bounded time: a stuck client fails the test, not the run.
        reader = threading.Thread(target=puller, daemon=True)
        reader.start()
        writers = [
            threading.Thread(target=pusher, args=(seed,), daemon=True) for seed in range(PUSHERS)
        ]
        try:
            for thread in writers:
                thread.start()
            for thread in writers:
                thread.join(timeout=120)
        finally:
            done.set()
        reader.join(timeout=60)
        assert not any(t.is_alive() for t in (*writers, reader)), "a client did not finish"
    assert errors == []
    ids = [record["id"] for record in seen]
    assert len(ids) == len(set(ids)), "a change came twice"
    assert set(ids) == set(pushed), f"{len(set(pushed) - set(ids))} changes were skipped"
    revs = [record["rev"] for record in seen]
    assert revs == sorted(revs)


def test_two_server_processes_on_one_database_serve_the_same_clients(
    postgres_url: str, tmp_path: Path
) -> None:
    database = connect(postgres_url)
    initialise(database)
    add_user(database, "tanaka", codes=CODES[:1])
    tls_dir = tmp_path / "tls"
    with contextlib.ExitStack() as stack:
        stack.callback(database.close)
        _, first_url = stack.enter_context(server_process(postgres_url, tls_dir))
        _, second_url = stack.enter_context(server_process(postgres_url, tls_dir))
        one = RunningServer(first_url, tls_dir / "dev-ca.pem", database)
        two = RunningServer(second_url, tls_dir / "dev-ca.pem", database)
        client = one.login("tanaka")
        token = client.headers["Authorization"]
        # The token issued by one process works on the other.
        other = two.client(headers={"Authorization": token})
        record_id, push_id = new_id(), new_id()
        change = visit_change(record_id, CODES[0], notes="一回だけ")
        first_answer = push(client, change, push_id=push_id)
        assert first_answer.status_code == 200
        # A retry that lands on the other process gets the stored answer.
        replay = push(other, change, push_id=push_id)
        assert replay.json()["replayed"] is True
        assert replay.json()["results"] == first_answer.json()["results"]
        # Pushes spread over both processes; each process then serves the same history.
        for index in range(10):
            target = client if index % 2 else other
            assert push(target, visit_change(new_id(), CODES[0])).status_code == 200
        from_one, _ = pull_all(client)
        from_two, _ = pull_all(other)
        assert [r["rev"] for r in from_one] == [r["rev"] for r in from_two]
        assert len(from_one) == 11
        # Logging out on one process refuses the token on the other at once.
        assert client.post("/api/v1/logout").status_code == 204
        assert other.get("/api/v1/me").status_code == 401
        for server in (one, two):
            for c in server.clients:
                c.close()

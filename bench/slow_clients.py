"""The server under slow and oversized clients (issue 17, findings 1 and 6): /healthz latency with
200 slow connections open against the same with none, and the server's memory while a chunked
300 MB push is refused.

No PostgreSQL is needed: the server runs on SQLite, as a trial server does, in a child process
(``bench.server_setup.serve``: ``dxdesk-server serve --dev-tls`` with its default bounds), in a
temporary folder removed at the end; the server is stopped at the end also on failure.

- **/healthz latency**: ``GET /healthz`` from 127.0.0.1 on one kept-alive connection, one request
  every 50 ms, ``HEALTHZ_REQUESTS`` of them (15 s); median and 95th percentile. Baseline, same
  run: the same with no other client. Then with 200 slow connections from 127.0.0.2-127.0.0.9
  (25 each, under the per-address cap) that send a request head one header line every 5 s (as
  the finding's attack did) and open a new connection whenever the server cuts one off, so that
  200 are open or opening throughout; the requests start once all 200 have connected. The
  detail says how many the server cut off meanwhile.
- **Memory under a chunked 300 MB push**: the server's resident memory (VmRSS, sampled every
  20 ms from /proc in a thread) before, at its peak while a logged-in client sends a 300 MB push
  body chunked (no Content-Length), and after. The body limit (64 MB) refuses it with 413.

``python -m bench.slow_clients`` runs it alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.report import Context, Row, run_alone
from bench.server_setup import PASSWORD, BenchFailure, Server, progress, serve
from dxdesk.server import admin
from dxdesk.server.database import connect, initialise

SLOW_ADDRESSES = tuple(f"127.0.0.{n}" for n in range(2, 10))
SLOW_PER_ADDRESS = 25  # 8 × 25 = 200, under the default cap of 32 per address
SLOW_LINE_EVERY_S = 5.0
HEALTHZ_REQUESTS = 300
HEALTHZ_EVERY_S = 0.05
PUSH_MB = 300
MB = 1024 * 1024
USER = "tanaka"


def rss_mb(pid: int) -> float:
    """Resident memory of a process, MB (Linux /proc; 0 where unavailable)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass(frozen=True)
class Latency:
    median_s: float
    p95_s: float
    errors: int


def healthz_latency(server: Server) -> Latency:
    times: list[float] = []
    errors = 0
    with server.client() as client:
        for _ in range(20):  # warm-up: the connection, the app's first answers
            client.get("/healthz")
        for _ in range(HEALTHZ_REQUESTS):
            started = time.perf_counter()
            answer = client.get("/healthz")
            times.append(time.perf_counter() - started)
            errors += answer.status_code != 200
            time.sleep(HEALTHZ_EVERY_S)
    return Latency(
        statistics.median(times), statistics.quantiles(times, n=20, method="inclusive")[18], errors
    )


class SlowClients:
    """200 connections dribbling their head, each opened again when the server closes it; run
    in a thread with its own event loop until ``stop``."""

    def __init__(self, port: int, ca: Path) -> None:
        self.port = port
        self.ca = ca
        self.connected = 0  # connections that finished their TLS handshake, ever
        self.cut_off = 0  # connections the server closed
        self.failed_to_connect = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=30)

    async def _run(self) -> None:
        await asyncio.gather(
            *(self._one(source) for source in SLOW_ADDRESSES for _ in range(SLOW_PER_ADDRESS))
        )

    async def _one(self, source: str) -> None:
        context = ssl.create_default_context(cafile=str(self.ca))
        while not self._stopping.is_set():
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(
                        "127.0.0.1",
                        self.port,
                        ssl=context,
                        server_hostname="localhost",
                        local_addr=(source, 0),
                    ),
                    30,
                )
            except (OSError, TimeoutError):
                self.failed_to_connect += 1
                await asyncio.sleep(1)
                continue
            self.connected += 1
            try:
                writer.write(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
                line = 0
                while not self._stopping.is_set():
                    try:
                        if not await asyncio.wait_for(reader.read(65536), SLOW_LINE_EVERY_S):
                            break
                        # The rest of the 408, to the close.
                        await asyncio.wait_for(reader.read(), 10)
                        break
                    except TimeoutError:
                        writer.write(f"X-Slow-{line}: still coming\r\n".encode())
                        line += 1
                else:
                    continue  # stopping: not cut off
                self.cut_off += 1
            except (OSError, ssl.SSLError):
                self.cut_off += 1
            finally:
                writer.close()
                with contextlib.suppress(OSError, ssl.SSLError, TimeoutError):
                    await asyncio.wait_for(writer.wait_closed(), 5)


@contextlib.contextmanager
def slow_clients(server: Server) -> Iterator[SlowClients]:
    clients = SlowClients(int(server.base_url.rsplit(":", 1)[1]), server.ca)
    clients.start()
    try:
        deadline = time.monotonic() + 60
        while clients.connected < 200:
            if time.monotonic() > deadline:
                raise BenchFailure(f"only {clients.connected} of 200 slow clients connected")
            time.sleep(0.1)
        yield clients
    finally:
        clients.stop()


def _chunked_body(size: int) -> Iterator[bytes]:
    yield b'{"push_id": "'
    block = b"x" * MB
    for _ in range(size // MB):
        yield block


@dataclass(frozen=True)
class Memory:
    before_mb: float
    peak_mb: float
    after_mb: float
    status: int
    seconds: float


def memory_under_chunked_push(server: Server) -> Memory:
    samples: list[float] = []
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            samples.append(rss_mb(server.process.pid))
            time.sleep(0.02)

    client = server.login(USER, "bench")
    try:
        client.get("/healthz")
        before = rss_mb(server.process.pid)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        try:
            try:
                answer = client.post(
                    "/api/v1/sync/push",
                    content=_chunked_body(PUSH_MB * MB),
                    headers={"Content-Type": "application/json"},
                )
                status = answer.status_code
            except httpx.HTTPError:  # closed before its answer was read
                status = 0
        finally:
            seconds = time.perf_counter() - started
            time.sleep(0.5)
            done.set()
            sampler.join()
    finally:
        client.close()
    return Memory(before, max(samples, default=before), rss_mb(server.process.pid), status, seconds)


def _ms(value: float) -> str:
    return f"{value * 1000:.1f} ms"


def measure(python: str) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-slow-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'server.sqlite3'}"
        database = connect(url)
        try:
            initialise(database)
            with database.transaction() as session:
                admin.add_user(session, name=USER, role="advisor", password=PASSWORD)
        finally:
            database.close()
        with serve(python, url, Path(tmp) / "tls") as server:
            progress("/healthz with no other client…")
            quiet = healthz_latency(server)
            progress("/healthz with 200 slow connections…")
            with slow_clients(server) as slow:
                busy = healthz_latency(server)
                cut_off, connected = slow.cut_off, slow.connected
            progress(f"a chunked {PUSH_MB} MB push…")
            memory = memory_under_chunked_push(server)
    slow_detail = (
        f"200 slow connections (a header line every {SLOW_LINE_EVERY_S:g} s) from 8 addresses;"
        f" {connected} opened, {cut_off} cut off by the server during the run; /healthz"
        f" {HEALTHZ_REQUESTS} requests, {busy.errors} not 200 (no other client:"
        f" {_ms(quiet.median_s)} median, {_ms(quiet.p95_s)} p95)"
    )
    return [
        Row(
            "/healthz median, 200 slow connections",
            busy.median_s,
            baseline_s=quiet.median_s,
            detail=slow_detail,
        ),
        Row("/healthz p95, 200 slow connections", busy.p95_s, baseline_s=quiet.p95_s),
        Row(
            "slow connections cut off by the server",
            cut_off,
            unit="count",
            detail="each sent a header line every 5 s; the head must be whole within 10 s",
        ),
        Row(
            f"server RSS peak, chunked {PUSH_MB} MB push (MB)",
            memory.peak_mb,
            unit="count",
            detail=(
                f"before {memory.before_mb:.0f} MB, peak {memory.peak_mb:.0f} MB"
                f" (+{memory.peak_mb - memory.before_mb:.0f}), after {memory.after_mb:.0f} MB;"
                f" answered {memory.status} in {memory.seconds:.1f} s"
            ),
        ),
        Row(f"server RSS before the {PUSH_MB} MB push (MB)", memory.before_mb, unit="count"),
    ]


def slow_clients_figures(ctx: Context) -> list[Row]:
    """Registered in ``bench.__main__``: the figures, or one failed row."""
    try:
        return measure(ctx.python or sys.executable)
    except Exception as exc:  # the other figures of the same run still get printed
        traceback.print_exception(exc, file=sys.stderr)
        message = " ".join(str(exc).split())[:300]
        return [Row("slow clients: FAILED", None, detail=f"{type(exc).__name__}: {message}")]


if __name__ == "__main__":
    run_alone(slow_clients_figures, prog="python -m bench.slow_clients")

"""The floor that ``bench.attachments`` compares DX Desk's file transfers with: a bare endpoint
and plain httpx moving the same bytes over the same loopback TLS.

- **The endpoint**: a minimal ASGI app (no framework, no database, no authentication) under
  uvicorn with the same stack as the real server (h11, asyncio's TLS, the dev certificate of the
  same folder), in a child process. ``PUT /blob/NAME`` reads the body as it arrives, hashes it
  (sha256) and discards it, and answers its size and hash; ``GET /blob/NAME`` streams the file
  NAME of its folder in 1 MiB chunks with its ``Content-Length``.
- **The client**: plain ``httpx`` on one kept-alive connection, each file PUT as one request
  streamed from disk in 1 MiB chunks, each GET read as a stream, hashed and discarded
  (``plain_put`` and ``plain_get``, run by ``bench.attachment_side`` in a child process so that
  its peak memory is its own). The module imports only httpx at its top, so that child stays
  as lean as a plain client.

``python -m bench.bare_endpoint --root DIR --tls DIR`` serves; it prints the address it listens
on as its first line, as ``dxdesk-server serve`` does.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import re
import socket
import ssl
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

CHUNK = 1 << 20
TIMEOUT_S = 300.0

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class BlobApp:
    """PUT: hash and discard the body; GET: stream a file of ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        name = str(scope["path"]).removeprefix("/blob/")
        if scope["method"] == "PUT":
            await self._put(receive, send)
        elif scope["method"] == "GET" and re.fullmatch(r"[\w.-]+", name):
            await self._get(self.root / name, send)
        else:
            await _answer(send, 404, b"{}")

    @staticmethod
    async def _put(receive: Receive, send: Send) -> None:
        digest = hashlib.sha256()
        size = 0
        while True:
            message = await receive()
            body = message.get("body", b"")
            digest.update(body)
            size += len(body)
            if not message.get("more_body", False):
                break
        await _answer(send, 200, json.dumps({"size": size, "sha256": digest.hexdigest()}).encode())

    @staticmethod
    async def _get(path: Path, send: Send) -> None:
        try:
            source = path.open("rb")
        except OSError:
            await _answer(send, 404, b"{}")
            return
        with source:
            size = os.fstat(source.fileno()).st_size
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [
                        (b"content-type", b"application/octet-stream"),
                        (b"content-length", str(size).encode()),
                    ],
                }
            )
            while chunk := source.read(CHUNK):
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})


async def _answer(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def main(argv: Sequence[str] | None = None) -> None:
    import uvicorn

    from dxdesk.server.dev_tls import ensure_dev_certificates

    parser = argparse.ArgumentParser(prog="python -m bench.bare_endpoint")
    parser.add_argument("--root", type=Path, required=True, help="the folder GET serves")
    parser.add_argument("--tls", type=Path, required=True, help="the dev certificates' folder")
    args = parser.parse_args(argv)
    files = ensure_dev_certificates(args.tls)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    print(f"bare endpoint listening on https://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(
        BlobApp(args.root),
        http="h11",
        loop="asyncio",
        ssl_certfile=str(files.cert),
        ssl_keyfile=str(files.key),
        log_level="warning",
        access_log=False,
        lifespan="on",
    )
    asyncio.run(uvicorn.Server(config).serve(sockets=[sock]))


# --- the parent's side: the endpoint in a child process ---------------------------------------


@dataclass(frozen=True)
class BareServer:
    base_url: str
    ca: Path
    process: subprocess.Popen[str]


@contextlib.contextmanager
def bare_server(python: str, root: Path, tls_dir: Path) -> Iterator[BareServer]:
    """The endpoint serving ``root`` with the certificate of ``tls_dir``; stopped at the end."""
    from bench.server_setup import BenchFailure
    from dxdesk.server.dev_tls import ensure_dev_certificates

    certificates = ensure_dev_certificates(tls_dir)
    log = tls_dir.parent / "bare-endpoint.log"
    command = [python, "-m", "bench.bare_endpoint", "--root", str(root), "--tls", str(tls_dir)]
    with log.open("w") as log_file:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log_file, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.search(r"https://127\.0\.0\.1:(\d+)", line)
        if match is None:
            raise BenchFailure(f"the bare endpoint did not start: {log.read_text()[-2000:]}")
        server = BareServer(f"https://localhost:{match.group(1)}", certificates.ca, process)
        with plain_client(server.base_url, server.ca) as client:
            deadline = time.monotonic() + 30
            while True:
                try:
                    client.get("/blob/-")
                    break
                except httpx.TransportError as exc:
                    if time.monotonic() > deadline or process.poll() is not None:
                        message = f"the bare endpoint is not up: {log.read_text()}"
                        raise BenchFailure(message) from exc
                    time.sleep(0.05)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if process.stdout is not None:  # nothing more comes after the first line
            process.stdout.close()


# --- the plain client -------------------------------------------------------------------------


def plain_client(base_url: str, ca: Path) -> httpx.Client:
    return httpx.Client(
        base_url=base_url, verify=ssl.create_default_context(cafile=str(ca)), timeout=TIMEOUT_S
    )


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            yield chunk


def plain_put(client: httpx.Client, paths: Sequence[Path]) -> int:
    """Each file PUT as one streamed request; fails unless the endpoint hashed the same bytes.

    Returns the bytes sent.
    """
    sent = 0
    for path in paths:
        size = path.stat().st_size
        answer = client.put(
            f"/blob/{path.name}",
            content=_file_chunks(path),
            headers={"Content-Length": str(size), "Content-Type": "application/octet-stream"},
        )
        if answer.status_code != 200 or answer.json()["size"] != size:
            raise RuntimeError(f"the bare endpoint answered {answer.status_code}: {answer.text}")
        sent += size
    return sent


def plain_get(client: httpx.Client, names: Sequence[str]) -> int:
    """Each file GET as a stream, hashed and discarded. Returns the bytes read."""
    read = 0
    for name in names:
        digest = hashlib.sha256()
        with client.stream("GET", f"/blob/{name}") as answer:
            if answer.status_code != 200:
                raise RuntimeError(f"the bare endpoint answered {answer.status_code} for {name}")
            for chunk in answer.iter_raw(CHUNK):
                digest.update(chunk)
                read += len(chunk)
    return read


if __name__ == "__main__":
    main()

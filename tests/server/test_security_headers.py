"""Issue 17 finding 7: security headers on every answer, and certificates that expire.

The real ``dxdesk-server serve`` in a child process: over TLS (the dev CA) every answer carries
``Strict-Transport-Security`` and ``X-Content-Type-Options: nosniff``; over plain http on
127.0.0.1 (``--insecure-http``) only nosniff, since HSTS over http means nothing. The dev
certificate lives a year and is made again near its end; ``serve`` warns a month before the
certificate it serves expires.
"""

from __future__ import annotations

import datetime
import queue
import re
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import httpx
import pytest
import trustme
import uvicorn
from cryptography import x509

from dxdesk.server.cli import main
from dxdesk.server.database import connect, initialise
from dxdesk.server.dev_tls import ensure_dev_certificates
from dxdesk.server.reference import PAGE_POLICY
from tests.child_process import stop
from tests.server.fixtures import server_process

HSTS = "max-age=31536000"
HTTP_SERVE = ("serve", "--insecure-http", "--port", "0")
PATHS = ("/healthz", "/redoc", "/api/v1/sync/pull", "/no-such-page")


def _database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = connect(url)
    initialise(database)
    database.close()
    return url


def _not_after(path: Path) -> datetime.datetime:
    return x509.load_pem_x509_certificates(path.read_bytes())[0].not_valid_after_utc


def test_every_answer_over_tls_carries_hsts_and_nosniff(tmp_path: Path) -> None:
    with server_process(_database(tmp_path), tmp_path / "tls") as (_, base_url):
        context = ssl.create_default_context(cafile=str(tmp_path / "tls" / "dev-ca.pem"))
        with httpx.Client(base_url=base_url, verify=context, timeout=30) as client:
            answers = {path: client.get(path) for path in PATHS}
            answers["HEAD /healthz"] = client.head("/healthz")
    for name, answer in answers.items():
        assert answer.headers.get("strict-transport-security") == HSTS, name
        assert answer.headers.get("x-content-type-options") == "nosniff", name
    assert answers["/healthz"].status_code == 200
    assert answers["/api/v1/sync/pull"].status_code >= 400  # refusals too
    assert answers["/redoc"].headers["content-security-policy"] == PAGE_POLICY


def test_plain_http_on_loopback_has_nosniff_but_no_hsts(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "dxdesk.server", "--db", _database(tmp_path), *HTTP_SERVE],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()

    def read(output: IO[str]) -> None:
        with output:  # closed here, at the end of the output, where nothing reads it any more
            lines.put(output.readline())
            output.read()

    assert process.stdout is not None
    threading.Thread(target=read, args=(process.stdout,), daemon=True).start()
    try:
        line = lines.get(timeout=60)
        match = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert match, line
        with httpx.Client(base_url=f"http://127.0.0.1:{match.group(1)}", timeout=30) as client:
            answers = [client.get(path) for path in PATHS]
    finally:
        stop(process)
    for answer in answers:
        assert answer.headers.get("x-content-type-options") == "nosniff"
        assert "strict-transport-security" not in answer.headers


def test_the_dev_certificate_lives_a_year(tmp_path: Path) -> None:
    files = ensure_dev_certificates(tmp_path / "tls")
    left = _not_after(files.cert) - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(days=360) < left <= datetime.timedelta(days=366)


def _write_pair(ca: trustme.CA, cert: Path, key: Path, days: float) -> None:
    leaf = ca.issue_cert(
        "127.0.0.1",
        "localhost",
        not_after=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=days),
    )
    cert.write_bytes(b"".join(pem.bytes() for pem in leaf.cert_chain_pems))
    key.write_bytes(leaf.private_key_pem.bytes())


def test_a_dev_certificate_near_its_end_is_made_again(tmp_path: Path) -> None:
    directory = tmp_path / "tls"
    files = ensure_dev_certificates(directory)
    _write_pair(trustme.CA(), files.cert, files.key, days=10)
    again = ensure_dev_certificates(directory)
    assert _not_after(again.cert) - datetime.datetime.now(datetime.UTC) > datetime.timedelta(
        days=360
    )
    assert again.renewed
    # The new leaf is signed by the CA file the clients are told to use.
    leaf = x509.load_pem_x509_certificates(again.cert.read_bytes())[0]
    leaf.verify_directly_issued_by(x509.load_pem_x509_certificate(again.ca.read_bytes()))
    assert (again.key.stat().st_mode & 0o077) == 0
    assert not ensure_dev_certificates(directory).renewed  # kept while it is young


def _serve_without_running(
    tmp_path: Path, cert: Path, key: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve --cert`` up to the point where uvicorn would run (it returns at once)."""

    def run_and_stop(_server: uvicorn.Server, sockets: list[socket.socket] | None = None) -> None:
        for sock in sockets or []:
            sock.close()  # as the real run does when it stops serving

    monkeypatch.setattr(uvicorn.Server, "run", run_and_stop)
    url = _database(tmp_path)
    args = ["--db", url, "serve", "--cert", str(cert), "--key", str(key), "--port", "0"]
    assert main(args) == 0


@pytest.mark.parametrize("days", [10, -1])
def test_serving_a_certificate_that_expires_within_a_month_warns(
    days: int,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cert, key = tmp_path / "server.pem", tmp_path / "server.key"
    _write_pair(trustme.CA(), cert, key, days=days)
    _serve_without_running(tmp_path, cert, key, monkeypatch)
    out, err = capsys.readouterr()
    warnings = [line for line in err.splitlines() if "証明書" in line]
    assert len(warnings) == 1, err
    assert str(cert) in warnings[0] and "有効期限" in warnings[0]
    assert "listening on https://" in out


def test_a_young_certificate_gets_no_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cert, key = tmp_path / "server.pem", tmp_path / "server.key"
    _write_pair(trustme.CA(), cert, key, days=90)
    _serve_without_running(tmp_path, cert, key, monkeypatch)
    assert "証明書" not in capsys.readouterr().err

"""``dxdesk-server serve``: the listening socket, the certificate checks, uvicorn with bounds."""

from __future__ import annotations

import argparse
import dataclasses
import ipaddress
import socket
import ssl
import sys
from datetime import UTC, datetime
from pathlib import Path

from dxdesk.server import admin
from dxdesk.server.database import ServerDatabase
from dxdesk.server.settings import Settings


def _listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio sets TCP_NODELAY only on such sockets' connections, and
    # without it every answer waits ~40 ms for Nagle's algorithm and delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise admin.AdminError(f"{host}:{port} で待ち受けできません: {exc.strerror}") from None
    sock.listen(2048)
    return sock


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_certificate(cert: str, key: str) -> None:
    """Read the pair as uvicorn will, so that a bad one is one line before "listening on"."""
    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(cert, key)
    except ssl.SSLError as exc:
        raise admin.AdminError(
            f"証明書 {cert} と秘密鍵 {key} を使えません（PEM 形式か、鍵が証明書と対か"
            f"確認してください）: {exc.reason or exc}"
        ) from None


def _expiry_warning(cert: str | None) -> str:
    """One line when the certificate served has expired or will within a month, else ""."""
    from dxdesk.server.dev_tls import RENEW_BEFORE, certificate_expiry

    expiry = certificate_expiry(cert) if cert else None
    if expiry is None:
        return ""
    left = expiry - datetime.now(UTC)
    if left > RENEW_BEFORE:
        return ""
    when = f"{expiry:%Y-%m-%d %H:%M} UTC"
    if left.total_seconds() <= 0:
        return f"警告: 証明書 {cert} は有効期限（{when}）を過ぎています。更新してください"
    return f"警告: 証明書 {cert} の有効期限は {when} です（あと {left.days} 日）。更新してください"


def _with_serve_options(settings: Settings, args: argparse.Namespace) -> Settings:
    """``settings`` with the bounds given to ``serve`` on the command line."""
    given = {
        "header_timeout_s": args.header_timeout,
        "body_gap_s": args.body_timeout,
        "max_connections_per_address": args.max_connections_per_address,
        "max_file_bytes": args.max_file_mb and args.max_file_mb * 1024**2,
        "file_quota_bytes": args.file_quota_gb and args.file_quota_gb * 1024**3,
    }
    return dataclasses.replace(settings, **{k: v for k, v in given.items() if v is not None})


def serve(database: ServerDatabase, settings: Settings, args: argparse.Namespace) -> None:
    import asyncio

    import uvicorn

    from dxdesk.server.app import create_app
    from dxdesk.server.connections import bounded_http_protocol, bounded_tls_protocol
    from dxdesk.server.dev_tls import ensure_dev_certificates

    cert: str | None = None
    key: str | None = None
    ca_note = ""
    renewed_note = ""
    if args.insecure_http:
        if not _is_loopback(args.host):
            raise admin.AdminError("--insecure-http は 127.0.0.1 / localhost でのみ使えます")
        scheme = "http"
    elif args.dev_tls:
        files = ensure_dev_certificates(Path(args.dev_tls).expanduser().resolve())
        cert, key = str(files.cert), str(files.key)
        scheme = "https"
        ca_note = f"CA file for clients: {files.ca}"
        if files.renewed:
            renewed_note = (
                f"開発用の証明書が期限間近のため作り直しました。クライアントには新しい CA ファイル"
                f" {files.ca} を渡してください"
            )
    else:
        if not args.key:
            raise admin.AdminError("--cert には --key（秘密鍵）も指定してください")
        cert, key = args.cert, args.key
        for path in (cert, key):
            if not Path(path).is_file():
                raise admin.AdminError(f"ファイル {path} がありません")
        _check_certificate(cert, key)
        scheme = "https"
    settings = _with_serve_options(settings, args)
    app = create_app(settings, database)
    sock = _listening_socket(args.host, args.port)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"DX Desk server listening on {scheme}://{host}:{port}", flush=True)
    if ca_note:
        print(ca_note, flush=True)
    for note in (renewed_note, _expiry_warning(cert)):
        if note:
            print(f"dxdesk-server: {note}", file=sys.stderr, flush=True)
    # Its head in time, so many connections from one address (connections.py), counted and
    # timed from TCP accept: so TLS is done by the protocol, not by the listening socket.
    http: type[asyncio.BaseProtocol] = bounded_http_protocol(settings)
    if cert is not None:
        context = uvicorn.config.create_ssl_context(
            certfile=cert,
            keyfile=key,
            password=None,
            ssl_version=uvicorn.config.SSL_PROTOCOL_VERSION,
            cert_reqs=ssl.CERT_NONE,
            ca_certs=None,
            ciphers=None,
        )
        http = bounded_tls_protocol(settings, context)
    config = uvicorn.Config(
        app,
        http=http,  # type: ignore[arg-type]  # a BufferedProtocol with TLS; uvicorn only calls it
        # No WebSocket upgrade, which would hand the connection to a protocol without bounds.
        ws="none",
        loop="asyncio",  # TLSConnection is asyncio's TLS protocol
        proxy_headers=False,
        server_header=False,
        log_level="info",
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run(sockets=[sock])

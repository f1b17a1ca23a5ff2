"""A local certificate authority for trying the server: kept in a folder across restarts.

Not for production: a real deployment uses a certificate from the prefecture's CA (``--cert``).

The server certificate lives a year, as a real one would, and is made again (with a new CA,
whose key is never kept: nothing else can be signed under it) when it has expired or will within
``RENEW_BEFORE``; clients are then given the new CA file.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

import trustme
from cryptography import x509

CA_FILE = "dev-ca.pem"
CERT_FILE = "server-cert.pem"
KEY_FILE = "server-key.pem"
HOSTS = ("127.0.0.1", "localhost", "::1")
LIFETIME = datetime.timedelta(days=365)
RENEW_BEFORE = datetime.timedelta(days=30)  # also when ``serve`` starts warning


@dataclass(frozen=True)
class DevCertificates:
    ca: Path
    cert: Path
    key: Path
    renewed: bool = False  # an earlier certificate near its end was replaced


def certificate_expiry(path: Path | str) -> datetime.datetime | None:
    """The end of validity (UTC) of the first certificate in a PEM file; None if unreadable."""
    try:
        certificates = x509.load_pem_x509_certificates(Path(path).read_bytes())
    except (OSError, ValueError):
        return None
    return certificates[0].not_valid_after_utc if certificates else None


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def ensure_dev_certificates(directory: Path) -> DevCertificates:
    """The CA and a server certificate for this machine, made once and then reused until the
    certificate nears its end."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    files = DevCertificates(directory / CA_FILE, directory / CERT_FILE, directory / KEY_FILE)
    existing = files.ca.exists() and files.cert.exists() and files.key.exists()
    if existing:
        expiry = certificate_expiry(files.cert)
        if expiry is not None and expiry - _now() > RENEW_BEFORE:
            return files
    now = _now()
    ca = trustme.CA(organization_name="DX Desk development CA")
    leaf = ca.issue_cert(
        *HOSTS,
        organization_name="DX Desk development server",
        not_before=now - datetime.timedelta(hours=1),  # a client clock a little behind
        not_after=now + LIFETIME,
    )
    ca.cert_pem.write_to_path(str(files.ca))
    leaf.cert_chain_pems[0].write_to_path(str(files.cert))
    for extra in leaf.cert_chain_pems[1:]:
        extra.write_to_path(str(files.cert), append=True)
    # The key is readable by its owner only from the moment it exists.
    os.close(os.open(files.key, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))
    leaf.private_key_pem.write_to_path(str(files.key))
    return DevCertificates(files.ca, files.cert, files.key, renewed=existing)

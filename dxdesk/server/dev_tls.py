"""A local certificate authority for trying the server: kept in a folder across restarts.

Not for production: a real deployment uses a certificate from the prefecture's CA (``--cert``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import trustme

CA_FILE = "dev-ca.pem"
CERT_FILE = "server-cert.pem"
KEY_FILE = "server-key.pem"
HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class DevCertificates:
    ca: Path
    cert: Path
    key: Path


def ensure_dev_certificates(directory: Path) -> DevCertificates:
    """The CA and a server certificate for this machine, made once and then reused."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    files = DevCertificates(directory / CA_FILE, directory / CERT_FILE, directory / KEY_FILE)
    if files.ca.exists() and files.cert.exists() and files.key.exists():
        return files
    ca = trustme.CA(organization_name="DX Desk development CA")
    leaf = ca.issue_cert(*HOSTS, organization_name="DX Desk development server")
    ca.cert_pem.write_to_path(str(files.ca))
    leaf.cert_chain_pems[0].write_to_path(str(files.cert))
    for extra in leaf.cert_chain_pems[1:]:
        extra.write_to_path(str(files.cert), append=True)
    # The key is readable by its owner only from the moment it exists.
    os.close(os.open(files.key, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600))
    leaf.private_key_pem.write_to_path(str(files.key))
    return files

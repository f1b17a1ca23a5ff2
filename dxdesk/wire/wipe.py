"""The answer that tells a laptop revoked as lost to wipe itself (server/device_wipe.py, the
laptop's sync/wipe.py).

A 401 problem of type ``device-wipe`` that carries the device's id and a proof: an HMAC, keyed
with the secret the laptop sent in that very request (its token, or its device key at a login),
of the device's id. Only who saw that secret can make the proof: the server, through the TLS the
laptop verified. A forged or damaged answer fails the check and is read as a plain 401 (log in
again), so nothing but the server can make a laptop delete its data.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

WIPE_CODE: Final = "device-wipe"
_CONTEXT: Final = b"dxdesk device wipe v1\x00"


def wipe_proof(secret: str, device_id: str) -> str:
    """What the server sends beside ``device_id``: HMAC-SHA256 under the secret it was sent."""
    return hmac.new(secret.encode(), _CONTEXT + device_id.encode(), hashlib.sha256).hexdigest()


def proof_matches(secret: str | None, device_id: object, proof: object) -> bool:
    """True only when ``proof`` was made with ``secret`` for ``device_id``."""
    if not secret or not isinstance(device_id, str) or not isinstance(proof, str):
        return False
    return hmac.compare_digest(wipe_proof(secret, device_id), proof)

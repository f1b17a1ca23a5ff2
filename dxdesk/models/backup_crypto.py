"""Every cipher the backups use, in one place (issue 23): the file format of an encrypted backup,
the backup key's wrapping by a passphrase or a recovery code, and names that hide contents.

An encrypted file is ``MAGIC``, a 4-byte big-endian header length, the header (JSON, plaintext
but authenticated) and then the contents in chunks of ``chunk`` bytes, each sealed with
AES-256-GCM (``cryptography``) under a key of this file alone: HKDF-SHA256 of the backup key
and the header's random salt. A chunk's nonce is its index (11 bytes) and a final-chunk flag
(1 byte), and every chunk's associated data is the hash of the whole header: a chunk moved,
dropped, repeated or taken from another file, a file cut short or grown, or an edited header
fails to open, and the file is refused whole (``decrypt`` writes to a target the caller throws
away on error). The same key never meets the same nonce: each file has its own key.

The backup key (32 random bytes per data folder) is never written in the clear: a backup's
database carries it wrapped (AES-256-GCM) under a key derived from the passphrase and again
under one from the recovery code, with scrypt (memory-hard; ``PRODUCTION_COST`` takes about
0.4 s and 128 MiB here). A wrong secret fails the unwrap's authentication: ``WrongSecret``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"DXDESK-BACKUP-1\n"
KEY_BYTES = 32
CHUNK_BYTES = 1024 * 1024
_TAG = 16
_MAX_HEADER = 16 * 1024 * 1024  # a header names at most every attachment's hidden name
_HEADER_LENGTH = struct.Struct(">I")
PASSPHRASE = "passphrase"
RECOVERY = "recovery"
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # base32 without 0/O, 1/I
RECOVERY_CHARS = 24  # 120 bits, shown in six groups of four


class BackupCryptoError(Exception):
    """Base of this module's errors; messages are for a person (Japanese)."""


class WrongSecret(BackupCryptoError):
    pass


class Damaged(BackupCryptoError):
    pass


@dataclass(frozen=True)
class KdfCost:
    """scrypt's parameters; stored with each wrap, so a wrap opens with its own cost."""

    n: int
    r: int = 8
    p: int = 1


# Measured on the development machine (scrypt, r=8, p=1): 2**15 0.09 s, 2**16 0.19 s,
# 2**17 0.38 s. Tests pass a lower cost through the ``cost`` parameters.
PRODUCTION_COST = KdfCost(n=2**17)
_COST_LIMITS = (2**10, 2**18)  # what a wrap read from a file may ask (a hostile file: no DoS)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text, validate=True)


class BackupKey:
    """The backup key of a data folder; ``key_id`` names it without revealing it."""

    def __init__(self, raw: bytes) -> None:
        if len(raw) != KEY_BYTES:
            raise ValueError("a backup key is 32 bytes")
        self.raw = raw

    def __repr__(self) -> str:  # never the key itself, in a log or a traceback
        return f"BackupKey({self.key_id})"

    @classmethod
    def new(cls) -> BackupKey:
        return cls(secrets.token_bytes(KEY_BYTES))

    @property
    def key_id(self) -> str:
        return hmac.new(self.raw, b"dxdesk backup key id", hashlib.sha256).hexdigest()[:16]

    def hidden_name(self, sha256: str) -> str:
        """The name an attachment's bytes get in the backups: an HMAC of their sha256, so the
        same contents are still kept once but a file's name does not tell what it holds."""
        return hmac.new(self.raw, b"file:" + sha256.encode("ascii"), hashlib.sha256).hexdigest()


# ---- wrapping the backup key ------------------------------------------------------------------


def new_recovery_code() -> str:
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(RECOVERY_CHARS))
    return "-".join(chars[i : i + 4] for i in range(0, RECOVERY_CHARS, 4))


def normalize_recovery_code(text: str) -> str | None:
    """The code as typed (any case, spaces or hyphens) in its shown form; None when it is not
    one (then the text is tried as a passphrase)."""
    chars = "".join(c for c in text.upper() if c not in " -\u3000")
    if len(chars) != RECOVERY_CHARS or set(chars) - set(_RECOVERY_ALPHABET):
        return None
    return "-".join(chars[i : i + 4] for i in range(0, RECOVERY_CHARS, 4))


def _derive(secret: str, salt: bytes, cost: KdfCost) -> bytes:
    return hashlib.scrypt(
        secret.encode("utf-8"),
        salt=salt,
        n=cost.n,
        r=cost.r,
        p=cost.p,
        maxmem=512 * 1024 * 1024,  # n=2**18 at most (a wrap read from a file)
        dklen=KEY_BYTES,
    )


def wrap_key(key: BackupKey, secret: str, kind: str, cost: KdfCost) -> dict[str, Any]:
    """The key sealed under a key derived from ``secret`` (a passphrase or a recovery code)."""
    salt = secrets.token_bytes(16)
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_derive(secret, salt, cost)).encrypt(nonce, key.raw, kind.encode("ascii"))
    return {
        "kind": kind,
        "kdf": "scrypt",
        "n": cost.n,
        "r": cost.r,
        "p": cost.p,
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "sealed": _b64(sealed),
    }


def unwrap_key(wraps: list[dict[str, Any]], secret: str) -> BackupKey:
    """The backup key from the wrap that ``secret`` opens: a recovery code opens the recovery
    wrap, anything else the passphrase wrap. WrongSecret when it opens none."""
    code = normalize_recovery_code(secret)
    attempts = [(RECOVERY, code)] if code is not None else []
    attempts.append((PASSPHRASE, secret))
    for kind, text in attempts:
        for wrap in wraps:
            if wrap.get("kind") != kind:
                continue
            try:
                cost = KdfCost(n=int(wrap["n"]), r=int(wrap["r"]), p=int(wrap["p"]))
                if not (_COST_LIMITS[0] <= cost.n <= _COST_LIMITS[1] and cost.r * cost.p <= 64):
                    raise ValueError("cost out of bounds")
                salt, nonce, sealed = (_unb64(wrap[k]) for k in ("salt", "nonce", "sealed"))
                derived = _derive(text, salt, cost)
            except (KeyError, ValueError, TypeError):
                raise Damaged("鍵の情報が壊れています") from None
            try:
                return BackupKey(AESGCM(derived).decrypt(nonce, sealed, kind.encode("ascii")))
            except (InvalidTag, ValueError):
                continue
    raise WrongSecret("合言葉または回復コードが違います")


# ---- the file format -----------------------------------------------------------------------


def _file_key(key: BackupKey, salt: bytes) -> AESGCM:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=b"dxdesk backup file"
    ).derive(key.raw)
    return AESGCM(derived)


def _nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


def is_encrypted(path_head: bytes) -> bool:
    """Whether a file's first bytes are those of an encrypted backup file."""
    return path_head.startswith(MAGIC)


def read_header(source: BinaryIO) -> tuple[dict[str, Any], bytes]:
    """The header of an encrypted file (``source`` at its start) and its raw bytes; Damaged
    when it is none. Plaintext, not yet authenticated: ``decrypt`` checks it."""
    if source.read(len(MAGIC)) != MAGIC:
        raise Damaged("暗号化されたバックアップではありません")
    length_bytes = source.read(_HEADER_LENGTH.size)
    if len(length_bytes) != _HEADER_LENGTH.size:
        raise Damaged("途中で切れています")
    (length,) = _HEADER_LENGTH.unpack(length_bytes)
    if length > _MAX_HEADER:
        raise Damaged("見出しが壊れています")
    raw = source.read(length)
    try:
        header = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise Damaged("見出しが壊れています") from None
    if len(raw) != length or not isinstance(header, dict):
        raise Damaged("見出しが壊れています")
    return header, raw


def encrypt(key: BackupKey, source: BinaryIO, target: BinaryIO, header: dict[str, Any]) -> str:
    """Write ``source``'s bytes to ``target`` encrypted, with ``header`` (JSON-able) in front
    (its ``key_id``, ``salt`` and ``chunk`` are set here); returns the plaintext's sha256."""
    salt = secrets.token_bytes(16)
    header = {**header, "key_id": key.key_id, "salt": _b64(salt), "chunk": CHUNK_BYTES}
    raw = json.dumps(header, ensure_ascii=True, sort_keys=True).encode("ascii")
    target.write(MAGIC + _HEADER_LENGTH.pack(len(raw)) + raw)
    aad = hashlib.sha256(MAGIC + raw).digest()
    cipher = _file_key(key, salt)
    digest = hashlib.sha256()
    index = 0
    chunk = source.read(CHUNK_BYTES)
    while True:
        following = source.read(CHUNK_BYTES)
        digest.update(chunk)
        final = not following
        target.write(cipher.encrypt(_nonce(index, final), chunk, aad))
        if final:
            return digest.hexdigest()
        chunk, index = following, index + 1


def decrypt(key: BackupKey, source: BinaryIO, target: BinaryIO) -> str:
    """Write the plaintext of the encrypted ``source`` to ``target``; returns its sha256.
    Damaged when any part fails (the caller discards ``target``); WrongSecret when the file
    is under another backup key."""
    header, raw = read_header(source)
    if header.get("key_id") != key.key_id:
        raise WrongSecret("このバックアップは別の鍵で暗号化されています")
    try:
        salt = _unb64(header["salt"])
        chunk_bytes = int(header["chunk"])
    except (KeyError, ValueError, TypeError):
        raise Damaged("見出しが壊れています") from None
    if not 0 < chunk_bytes <= 64 * 1024 * 1024:
        raise Damaged("見出しが壊れています")
    aad = hashlib.sha256(MAGIC + raw).digest()
    cipher = _file_key(key, salt)
    digest = hashlib.sha256()
    index = 0
    sealed = source.read(chunk_bytes + _TAG)
    while True:
        following = source.read(chunk_bytes + _TAG)
        try:
            plain = cipher.decrypt(_nonce(index, not following), sealed, aad)
        except (InvalidTag, ValueError):
            raise Damaged("途中で切れているか、書き換えられています") from None
        digest.update(plain)
        target.write(plain)
        if not following:
            return digest.hexdigest()
        sealed, index = following, index + 1

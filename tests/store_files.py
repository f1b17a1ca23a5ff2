"""Reading a data folder's encrypted store (and its encrypted copies) and its encrypted
attachments from a test, with the key the app keeps for that folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dxdesk.models import store_cipher, store_key
from dxdesk.models.file_store import FileStore


def connect_store(path: Path, data_dir: Path | None = None) -> Any:
    """A connection to ``path`` (a store, or a copy encrypted as the store is), keyed with the
    key of ``data_dir`` (default: the folder ``path`` is in); a plaintext file opens as one."""
    key = store_key.key_for(data_dir or path.parent)
    return store_cipher.connect_file(path, key)


# SQLCipher 4's page format with the store's settings (store_cipher.CIPHER_SETTINGS): each
# page AES-256-CBC under the raw key, its IV and HMAC-SHA256 in the reserved bytes at its end;
# the first page's first 16 bytes are the file's salt.
PAGE = store_cipher.PAGE_BYTES
_RESERVE = 48  # IV (16) + HMAC-SHA256 (32)
_WAL_HEADER = 32
_FRAME_HEADER = 24


def _decrypt_page(page: bytes, key: bytes, number: int) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    start = 16 if number == 1 else 0
    iv = page[PAGE - _RESERVE : PAGE - _RESERVE + 16]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(page[start : PAGE - _RESERVE]) + decryptor.finalize()


def decrypted_bytes(path: Path, key: bytes) -> bytes:
    """Every page of an encrypted store file (or of its -wal) decrypted, free pages included:
    what someone holding the key would find on the disk."""
    data = path.read_bytes()
    pages = []
    if path.name.endswith("-wal"):
        offset = _WAL_HEADER
        while offset + _FRAME_HEADER + PAGE <= len(data):
            number = int.from_bytes(data[offset : offset + 4], "big")
            frame = data[offset + _FRAME_HEADER : offset + _FRAME_HEADER + PAGE]
            pages.append(_decrypt_page(frame, key, number))
            offset += _FRAME_HEADER + PAGE
    else:
        for index in range(len(data) // PAGE):
            pages.append(_decrypt_page(data[index * PAGE : (index + 1) * PAGE], key, index + 1))
    return b"".join(pages)


def files_holding(data_dir: Path, needle: str) -> list[str]:
    """Every file under ``data_dir`` whose bytes hold ``needle``: as they are, and for the
    store and its -wal also decrypted with the folder's key (free pages included)."""
    from dxdesk.models.paths import DATABASE_NAME

    found = []
    key = store_key.key_for(data_dir)
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file()):
        if needle.encode() in path.read_bytes():
            found.append(path.name)
        elif path.name in (DATABASE_NAME, DATABASE_NAME + "-wal") and needle.encode() in (
            decrypted_bytes(path, key)
        ):
            found.append(f"{path.name} (decrypted)")
    return found


def stored_bytes(files: FileStore, sha256: str) -> bytes:
    """The plaintext of a stored attachment, decrypted (its file on disk is encrypted)."""
    return b"".join(files.read_chunks(sha256))

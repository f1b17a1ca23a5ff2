"""The attachments' bytes in the automatic backups, and back from them at a restore.

Each backup generation is one database file (models/backups.py); the files its attachment
records name are kept once for all generations in ``backups/files/``, a file store of its own
(models/file_store.py), named by their sha256 like the data folder's. A backup adds only the
contents not kept yet, each as a hard link to the data folder's file where the file system
allows (a stored file never changes, so the link costs no space and the backup keeps the bytes
when the data folder lets them go), a copy otherwise. Pruning the generations prunes the files
that no generation left names. A copy made by hand (``dxdesk backup -o FILE``, the window's
バックアップを作成…) takes its files into a folder beside it, ``FILE.files/``, as copies of
their own.
A restore puts back, verified, the files the restored database names that the data folder
lacks, from ``backups/files/`` or from beside the file restored; what no backup holds comes
back with the next sync (from the server) if it had been sent.

Every file store here is encrypted with the data folder's file key (models/file_cipher.py), so
a link is the same sealed file in both; the encrypted backups' files (below) are decrypted from
it as they are sealed under the backup key, and back again at a restore, never plaintext on
disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dxdesk.models import store_cipher
from dxdesk.models.backup_crypto import BackupCryptoError, BackupKey, decrypt, encrypt
from dxdesk.models.file_cipher import SealedTempFile
from dxdesk.models.file_store import FILES_DIR, FileStore
from dxdesk.models.file_writing import FileCorrupt, FileProblem, TempFile
from dxdesk.models.paths import make_owner_only_dir
from dxdesk.models.store import StoreError

BACKUP_FILES_DIR = "files"  # under backups/
BESIDE_SUFFIX = ".files"  # the folder beside a copy made by hand: copy.sqlite3.files/


@dataclass(frozen=True)
class RestoredFiles:
    put_back: int  # files the data folder lacked, put back from the backups
    missing: int  # files the restored database names that no backup holds (a sync brings them)


def backup_file_store(backups: Path, key: bytes) -> FileStore:
    """``key``: the store's, as for every file store of the data folder."""
    return FileStore(backups / BACKUP_FILES_DIR, key)


def beside(backup: Path, key: bytes) -> FileStore:
    """The files of a copy made by hand, in a folder beside it."""
    return FileStore(backup.with_name(backup.name + BESIDE_SUFFIX), key)


def data_file_store(data_dir: Path, key: bytes) -> FileStore:
    return FileStore(data_dir / FILES_DIR, key)


class NamesUnknown(StoreError):
    """A database whose attachments cannot be read: which files it names is not known."""


def named_files(database: Path, key: bytes | None) -> set[str]:
    """The sha256 of every attachment a database file names (none before attachments were);
    NamesUnknown when it cannot be read (never an empty set: files it may name would go).
    ``key``: the store's, for a file encrypted as the store is (a plaintext one needs none)."""
    try:
        connection = store_cipher.connect_file(database, key, read_only=True)
    except store_cipher.DatabaseError as exc:
        raise _unknown(database, exc) from None
    try:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        if "attachment" not in tables:
            return set()  # a backup from before attachments
        return {sha for (sha,) in connection.execute("SELECT DISTINCT sha256 FROM attachment")}
    except store_cipher.DatabaseError as exc:
        raise _unknown(database, exc) from None
    finally:
        connection.close()


def _unknown(database: Path, exc: Exception) -> NamesUnknown:
    return NamesUnknown(f"バックアップ {database} の添付ファイルの一覧を読めません（{exc}）")


def keep_files(data_dir: Path, backups: Path, database: Path, key: bytes) -> int:
    """Keep the files ``database`` (a backup just taken) names; returns how many were new."""
    return _keep(data_file_store(data_dir, key), backup_file_store(backups, key), database, key)


def copy_beside(data_dir: Path, database: Path, key: bytes) -> int:
    """Put the files ``database`` (a copy made by hand) names in the folder beside it, as
    copies of their own: a copy made by hand is expected to be independent (an edit there, or
    damage to the disk's one copy, must not reach the data folder's file)."""
    return _keep(data_file_store(data_dir, key), beside(database, key), database, key, link=False)


def _keep(
    here: FileStore, kept: FileStore, database: Path, key: bytes, *, link: bool = True
) -> int:
    added = 0
    for sha256 in sorted(named_files(database, key)):
        if kept.has(sha256) or not here.has(sha256):
            continue  # kept already, or not on this laptop (not downloaded yet)
        if kept.take_from(here, sha256, link=link):  # a damaged file is not kept
            added += 1
    return added


def prune_files(backups: Path, databases: list[Path], key: bytes) -> int:
    """Remove the kept files no backup in ``databases`` names; returns how many went. When a
    backup cannot be read, every kept file stays (it may name any of them)."""
    kept = backup_file_store(backups, key)
    if not kept.root.is_dir():
        return 0
    named: set[str] = set()
    for database in databases:
        try:
            named |= named_files(database, key)
        except NamesUnknown:
            return 0
    return kept.remove_unreferenced(named)


def restore_files(
    data_dir: Path,
    backups: Path,
    database: Path,
    key: bytes,
    *,
    restored_from: Path | None = None,
) -> RestoredFiles:
    """Put back the files the restored ``database`` names that the data folder lacks, from
    the backups' files or those beside ``restored_from``, each checked against its hash (a
    damaged kept copy is not put back: the sync fetches it)."""
    here = data_file_store(data_dir, key)
    sources = [backup_file_store(backups, key)]
    if restored_from is not None:
        sources.append(beside(restored_from, key))
    put_back = missing = 0
    for sha256 in sorted(named_files(database, key)):
        if here.has(sha256):
            continue
        if any(here.take_from(kept, sha256, check=True) for kept in sources):
            put_back += 1
        else:
            missing += 1
    return RestoredFiles(put_back=put_back, missing=missing)


# ---- encrypted backups (issue 23) ----------------------------------------------------------
# Under a backup key, the files are kept encrypted (models/backup_crypto.py) in
# ``backups/encrypted-files/`` (beside a copy made by hand: in its ``FILE.files/``), each named by
# its hidden name (an HMAC of its sha256 under the key): kept once for all generations as
# before, without a name that tells what a file holds. A generation's header lists the hidden
# names its database names, so pruning reads no database.

ENCRYPTED_FILES_DIR = "encrypted-files"  # under backups/


def encrypted_root(backups: Path) -> Path:
    return backups / ENCRYPTED_FILES_DIR


def beside_root(backup: Path) -> Path:
    return backup.with_name(backup.name + BESIDE_SUFFIX)


def _hidden_path(root: Path, name: str) -> Path:
    return root / name[:2] / name


def names_in(connection: store_cipher.Connection) -> set[str]:
    """The sha256 of every attachment an open database names."""
    tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
    if "attachment" not in tables:
        return set()
    return {sha for (sha,) in connection.execute("SELECT DISTINCT sha256 FROM attachment")}


def keep_encrypted(
    data_dir: Path, root: Path, key: BackupKey, named: set[str], *, store_key: bytes
) -> int:
    """Keep, encrypted under ``root``, the files of ``named`` that this laptop has and
    ``root`` lacks; returns how many were new. A file whose bytes are not its hash (damaged in
    the data folder) is not kept. ``store_key`` opens the data folder's files."""
    here = data_file_store(data_dir, store_key)
    added = 0
    for sha256 in sorted(named):
        target = _hidden_path(root, key.hidden_name(sha256))
        if target.is_file() or not here.has(sha256):
            continue
        try:
            make_owner_only_dir(target.parent, tighten=True)
            temp = TempFile(target.parent)
        except OSError as exc:
            raise FileProblem(
                f"バックアップのフォルダ {root} に書けません: {exc.strerror}"
            ) from None
        try:
            try:
                with here.opened(sha256) as source:
                    digest = encrypt(key, source, temp.file, {"content": "file"})
            except FileCorrupt:
                digest = ""
            if digest != sha256:
                temp.discard()
                continue
            temp.finish()
            temp.keep(target)
        except BaseException:
            temp.discard()
            raise
        added += 1
    return added


def prune_encrypted(backups: Path, names: set[str] | None) -> int:
    """Remove the encrypted files no generation names (``names`` None: a generation could not
    be read, so every file stays)."""
    root = encrypted_root(backups)
    if names is None or not root.is_dir():
        return 0
    removed = 0
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for file in folder.iterdir():
            if file.name not in names:
                file.unlink(missing_ok=True)
                removed += 1
    return removed


def restore_encrypted(
    data_dir: Path, key: BackupKey, named: set[str], roots: list[Path], *, store_key: bytes
) -> RestoredFiles:
    """Put back, checked against their hash, the files of ``named`` the data folder lacks,
    from the first of ``roots`` that holds them whole: decrypted from the backup key and
    sealed with the data folder's file key (``store_key``) as they are written."""
    here = data_file_store(data_dir, store_key)
    put_back = missing = 0
    for sha256 in sorted(named):
        if here.has(sha256):
            continue
        name = key.hidden_name(sha256)
        if any(_decrypt_into(here, sha256, _hidden_path(root, name), key) for root in roots):
            put_back += 1
        else:
            missing += 1
    return RestoredFiles(put_back=put_back, missing=missing)


def _decrypt_into(here: FileStore, sha256: str, source: Path, key: BackupKey) -> bool:
    if not source.is_file():
        return False
    target = here.path(sha256)
    try:
        make_owner_only_dir(target.parent, tighten=True)
        temp = SealedTempFile(target.parent, here.key)
    except OSError as exc:
        raise FileProblem(
            f"添付ファイルのフォルダ {here.root} に書けません: {exc.strerror}"
        ) from None
    try:
        with source.open("rb") as encrypted:
            digest = decrypt(key, encrypted, temp.writer())
        if digest != sha256:
            temp.discard()
            return False
        temp.finish()
        temp.keep(target)
    except BackupCryptoError:
        temp.discard()
        return False  # damaged: the next sync brings the file if it was sent
    except BaseException:
        temp.discard()
        raise
    return True

"""Attachments at rest are encrypted with the data folder's key (issue 23): an attached file's
contents are found by no byte search of any file under the data folder (its files, a download's
partial file, the backups' files) nor beside a copy, yet come back exactly when saved out; a
file tampered with, cut or grown is refused as damaged; reads from any offset decrypt only what
they need; a download resumes; an older version's plaintext files are encrypted in place."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dxdesk.domain.progress import Cancelled
from dxdesk.models import file_cipher, store_cipher, store_key
from dxdesk.models.backup_files import backup_file_store
from dxdesk.models.backups import backups_dir, copy_with_files, take_backup
from dxdesk.models.file_cipher import CHUNK, HEADER_BYTES, MAGIC, SEALED, TAG
from dxdesk.models.file_migration import DONE_MARKER
from dxdesk.models.file_store import FileCorrupt, FileStore
from dxdesk.models.paths import DATABASE_NAME
from dxdesk.models.store import open_store
from dxdesk.services.attachment_text import extract_missing
from dxdesk.services.search import search
from dxdesk.services.workspace import Workspace, open_workspace
from tests.store_files import stored_bytes
from tests.unit.file_samples import docx_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
KEY = bytes(range(32))
# Unique contents: a phrase and bytes no other file holds, over several 64 KiB chunks.
PHRASE = "QX7-添付の秘密-94kz"
SECRET = (PHRASE.encode() + os.urandom(40)) * 5000  # ~ 320 KB


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def needles(data: bytes) -> list[bytes]:
    """Pieces of ``data`` a search would look for: its start, its end and a few in between."""
    spots = [0, len(data) - 48, CHUNK - 10, CHUNK + 7, len(data) // 2]
    return [data[at : at + 48] for at in spots] + [PHRASE.encode()]


def files_holding(folder: Path, data: bytes) -> list[str]:
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        content = path.read_bytes()
        found += [f"{path.relative_to(folder)}" for n in needles(data) if n in content]
    return found


@pytest.fixture
def files(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "files", KEY)


def store_bytes(files: FileStore, tmp_path: Path, data: bytes) -> str:
    source = tmp_path / "source.bin"
    source.write_bytes(data)
    try:
        return files.add_file(source).sha256
    finally:
        source.unlink()


def test_an_attached_file_is_found_by_no_byte_search_under_the_data_folder_or_beside_a_copy(
    workspace: Workspace, visit_payload: dict[str, object], tmp_path: Path
) -> None:
    desk = tmp_path / "desk"
    desk.mkdir()
    source = desk / "面談メモ.bin"
    source.write_bytes(SECRET)
    visit = workspace.engagements.add(visit_payload)
    (made,) = workspace.attachments.attach("visit", visit["id"], [source])
    memo = docx_file(desk / "議事録.docx", [f"議事録 {PHRASE}"])
    (minutes,) = workspace.attachments.attach("visit", visit["id"], [memo])
    assert extract_missing(workspace.store) == 2  # its text read through the decryption
    assert [hit.id for hit in search(workspace.store, PHRASE)] == [minutes["id"]]
    take_backup(workspace.store)  # backups/files/: a hard link to the sealed file
    usb = tmp_path / "usb"
    usb.mkdir()
    copy_with_files(workspace.store, usb / "copy.sqlite3")  # usb/copy.sqlite3.files/
    # A download of the same content half-way, as a cut left it in partial/.
    files = workspace.files
    with files.downloading(made["sha256"]), files.partial(made["sha256"], len(SECRET)) as part:
        part.write(SECRET[: 3 * CHUNK + 100])
    data_dir = workspace.store.data_dir
    assert files.partial_path(made["sha256"]).stat().st_size > 3 * CHUNK
    kept = backup_file_store(backups_dir(data_dir), workspace.store.key)
    assert kept.path(made["sha256"]).samefile(files.path(made["sha256"]))
    assert (usb / "copy.sqlite3.files").is_dir()

    assert files_holding(data_dir, SECRET) == []
    assert files_holding(usb, SECRET) == []
    assert files_holding(desk, SECRET) == ["面談メモ.bin"] * len(needles(SECRET))  # the search
    # ...yet the person's own copy is the file, exactly.
    out = tmp_path / "面談メモ.bin"
    workspace.attachments.save_as(made["id"], out)
    assert out.read_bytes() == SECRET
    assert b"".join(files.read_chunks(made["sha256"])) == SECRET


def test_every_file_store_of_a_data_folder_shares_its_key(workspace: Workspace) -> None:
    """One key for files/, backups/files/ and a copy's files: a link is the same sealed file."""
    here = workspace.files.key.key_id
    assert (
        backup_file_store(backups_dir(workspace.store.data_dir), workspace.store.key).key.key_id
        == here
    )
    assert (
        FileStore(Path("elsewhere"), store_key.key_for(workspace.store.data_dir)).key.key_id == here
    )
    assert FileStore(Path("elsewhere"), KEY).key.key_id != here


def _flip(path: Path, at: int) -> None:
    data = bytearray(path.read_bytes())
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


def _cut(path: Path, size: int) -> None:
    with path.open("r+b") as file:
        file.truncate(size)


def _swap_first_chunks(path: Path) -> None:
    data = path.read_bytes()
    first, second = HEADER_BYTES, HEADER_BYTES + SEALED
    path.write_bytes(
        data[:first] + data[second : second + SEALED] + data[first:second] + data[second + SEALED :]
    )


DAMAGE: dict[str, Callable[[Path], object]] = {
    "a byte flipped": lambda p: _flip(p, HEADER_BYTES + SEALED + 100),
    "a tag flipped": lambda p: _flip(p, p.stat().st_size - 1),
    "its nonce prefix changed": lambda p: _flip(p, HEADER_BYTES - 1),
    "cut at a chunk's end": lambda p: _cut(p, HEADER_BYTES + 2 * SEALED),
    "cut inside a chunk": lambda p: _cut(p, p.stat().st_size - 1000),
    "cut to its header": lambda p: _cut(p, HEADER_BYTES),
    "grown by a chunk": lambda p: p.write_bytes(
        p.read_bytes() + p.read_bytes()[HEADER_BYTES : HEADER_BYTES + SEALED]
    ),
    "grown by a byte": lambda p: p.write_bytes(p.read_bytes() + b"\0"),
    "two chunks swapped": lambda p: _swap_first_chunks(p),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_file_tampered_with_cut_or_grown_is_refused_as_damaged(
    files: FileStore, tmp_path: Path, damage: str
) -> None:
    name = store_bytes(files, tmp_path, SECRET)
    path = files.path(name)
    path.chmod(0o600)
    DAMAGE[damage](path)
    assert not files.verify(name)
    with pytest.raises(FileCorrupt):
        b"".join(files.read_chunks(name))
    dest = tmp_path / "saved.bin"
    dest.write_bytes(b"what was there")
    with pytest.raises(FileCorrupt, match="壊れていました"):
        files.copy_out(name, dest)
    assert dest.read_bytes() == b"what was there"  # nothing of it handed out
    assert not files.has(name)  # removed: the next sync fetches it again
    assert sorted(p.name for p in tmp_path.iterdir()) == ["files", "saved.bin"]


def test_a_file_sealed_with_another_folders_key_is_refused(
    files: FileStore, tmp_path: Path
) -> None:
    name = store_bytes(files, tmp_path, SECRET)
    other = FileStore(files.root, bytes(32))
    assert not other.verify(name)
    with pytest.raises(FileCorrupt):
        next(other.read_chunks(name))


@pytest.mark.parametrize("size", [1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 12345])
def test_reads_from_any_offset_give_the_plaintext_slice(
    files: FileStore, tmp_path: Path, size: int
) -> None:
    data = os.urandom(size)
    name = store_bytes(files, tmp_path, data)
    assert files.path(name).stat().st_size == file_cipher.sealed_size(size)
    assert files.path(name).read_bytes().startswith(MAGIC)
    rng = random.Random(size)
    offsets = {
        0,
        size - 1,
        size,
        CHUNK,
        CHUNK - 1,
        CHUNK + 1,
        *(rng.randrange(size) for _ in range(20)),
    }
    for offset in sorted(o for o in offsets if 0 <= o <= size):
        piece = rng.choice([1, 333, CHUNK, CHUNK + 5, 1 << 20])
        chunks = list(files.read_chunks(name, offset, piece))
        assert b"".join(chunks) == data[offset:]
        assert all(len(c) == piece for c in chunks[:-1])
    with files.opened(name) as file:  # what pypdf and zipfile read: seekable, decrypted
        for _ in range(30):
            at, length = rng.randrange(size + 1), rng.randrange(1, 2 * CHUNK)
            file.seek(at)
            assert file.read(length) == data[at : at + length]
            assert file.tell() == min(size, at + length)
        file.seek(-1, os.SEEK_END)
        assert file.read() == data[-1:]


def test_a_download_resumed_at_an_offset_gives_the_file(files: FileStore) -> None:
    data = SECRET
    name = sha(data)
    # Pieces of every size, as the network gives them; the process is killed after ~150 KB.
    with files.downloading(name), files.partial(name, len(data)) as part:
        at = 0
        for step in (1, 1000, CHUNK, 7, 50_000, 33_000):
            part.write(data[at : at + step])
            at += step
    on_disk = files.partial_path(name)
    assert at > 2 * CHUNK
    assert on_disk.stat().st_size == HEADER_BYTES + 2 * SEALED  # the whole chunks, sealed
    assert files_holding(files.root, data) == []
    # A kill while a chunk was written leaves part of one: dropped, never trusted.
    with on_disk.open("ab") as torn:
        torn.write(os.urandom(SEALED - 5))
    with files.downloading(name), files.partial(name, len(data)) as part:
        assert part.size == 2 * CHUNK  # the Range asks from here
        assert on_disk.stat().st_size == HEADER_BYTES + 2 * SEALED
        part.write(data[part.size :])
        digest = part.finish()
    files.adopt_partial(name, digest)
    assert stored_bytes(files, name) == data
    assert files.verify(name)
    assert files_holding(files.root, data) == []


def test_a_damaged_chunk_in_a_partial_download_is_fetched_again(files: FileStore) -> None:
    data = SECRET
    name = sha(data)
    with files.downloading(name), files.partial(name, len(data)) as part:
        part.write(data[: 3 * CHUNK + 10])
    _flip(files.partial_path(name), HEADER_BYTES + SEALED + 3)  # chunk 1
    with files.downloading(name), files.partial(name, len(data)) as part:
        assert part.size == CHUNK  # what follows the damage is fetched again
        part.write(data[part.size :])
        digest = part.finish()
    files.adopt_partial(name, digest)
    assert stored_bytes(files, name) == data


def test_a_partial_download_an_older_version_left_in_plaintext_starts_over(
    files: FileStore,
) -> None:
    data = SECRET
    name = sha(data)
    files.partial_path(name).write_bytes(data[: CHUNK * 2])
    with files.downloading(name), files.partial(name, len(data)) as part:
        assert part.size == 0
        part.write(data)
        digest = part.finish()
    files.adopt_partial(name, digest)
    assert files_holding(files.root, data) == []
    assert stored_bytes(files, name) == data


def _as_an_older_version_left_it(files: FileStore, name: str, data: bytes) -> None:
    path = files.path(name)
    path.unlink()
    path.write_bytes(data)
    path.chmod(0o600)


def test_an_older_versions_plaintext_files_are_read_then_encrypted_in_place(
    tmp_path: Path, visit_payload: dict[str, object]
) -> None:
    data_dir = tmp_path / "data"
    damaged = b"damaged since " * 1000
    ws = open_workspace(data_dir)
    try:
        visit = ws.engagements.add(visit_payload)
        made = []
        for n, content in enumerate([SECRET, damaged, b"only in the backups " * 100]):
            source = tmp_path / f"{n}.bin"
            source.write_bytes(content)
            made += ws.attachments.attach("visit", visit["id"], [source])
        take_backup(ws.store)
        sealed = {m["sha256"]: ws.files.path(m["sha256"]).read_bytes() for m in made}
        # As an older version left them: plaintext, the backups' file a link to the data's.
        kept = backup_file_store(backups_dir(data_dir), ws.store.key)
        for m, content in zip(made, [SECRET, damaged, b"only in the backups " * 100], strict=True):
            _as_an_older_version_left_it(ws.files, m["sha256"], content)
            kept.path(m["sha256"]).unlink()
            os.link(ws.files.path(m["sha256"]), kept.path(m["sha256"]))
        ws.files.path(made[2]["sha256"]).unlink()  # let go by the data folder
        _flip(ws.files.path(made[1]["sha256"]), 5)
        # Read as they are meanwhile.
        out = tmp_path / "out.bin"
        ws.attachments.save_as(made[0]["id"], out)
        assert out.read_bytes() == SECRET
        assert files_holding(data_dir, SECRET)  # the search finds the plaintext file
        for each in (ws.files, kept):  # an older version's folders have no such marker
            (each.root / DONE_MARKER).unlink(missing_ok=True)
    finally:
        ws.close()

    ws = open_workspace(data_dir)  # the opening encrypts them
    try:
        files = ws.files
        good, bad, backed = (m["sha256"] for m in made)
        assert files.path(good).read_bytes()[: len(MAGIC)] == MAGIC
        assert files.path(good).read_bytes() != sealed[good]  # sealed anew, its own nonces
        assert stored_bytes(files, good) == SECRET
        assert kept.path(good).samefile(files.path(good))  # one file again, not two
        assert not files.has(bad)  # damaged: removed, as a copy out would
        assert stored_bytes(kept, backed) == b"only in the backups " * 100
        assert kept.path(backed).read_bytes().startswith(MAGIC)
        assert files_holding(data_dir, SECRET) == []
        # Later openings look at these markers only.
        assert (files.root / DONE_MARKER).exists() and (kept.root / DONE_MARKER).exists()
        ws.attachments.save_as(made[0]["id"], out, overwrite=True)
        assert out.read_bytes() == SECRET
    finally:
        ws.close()


def test_an_upgrade_encrypts_the_files_before_the_store_and_a_cancel_there_leaves_both_whole(
    tmp_path: Path,
) -> None:
    """The upgrade: a plaintext store and plaintext files. The files go first, heard by the
    same progress as the store's encryption; a cancel among them leaves the store as it was
    (what the window says then) and the files done encrypted; the next opening finishes."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(FIXTURES / "store-0010.sqlite3", data / DATABASE_NAME)
    contents = [SECRET, b"a second older file " * 4000]
    for content in contents:
        path = data / "files" / sha(content)[:2] / sha(content)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    heard: list[tuple[int, int]] = []

    def cancel_after_the_first_file(done: int, total: int) -> None:
        heard.append((done, total))
        if done > 0:
            raise Cancelled

    with pytest.raises(Cancelled):
        open_store(data, progress=cancel_after_the_first_file)
    assert store_cipher.is_plaintext(data / DATABASE_NAME)  # untouched, as the window says
    assert heard[-1][1] == sum(len(c) for c in contents)  # the files' bytes
    files = FileStore(data / "files", store_key.key_for(data))
    sealed = [files.path(sha(c)).read_bytes().startswith(MAGIC) for c in contents]
    assert sorted(sealed) == [False, True]  # one done, one left: each whole
    assert [stored_bytes(files, sha(c)) for c in contents] == contents

    store = open_store(data)  # the next start finishes both
    try:
        assert not store_cipher.is_plaintext(store.path)
        assert [stored_bytes(files, sha(c)) for c in contents] == contents
        assert files_holding(data / "files", SECRET) == []
        assert (files.root / DONE_MARKER).exists()
    finally:
        store.close()


_ENCRYPT_IN_PLACE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from dxdesk.models.file_store import FileStore
    root, name = Path(sys.argv[1]), sys.argv[2]
    files = FileStore(root, bytes(range(32)))
    print("go", flush=True)
    files.encrypt_in_place(name)
    print("done", flush=True)
    """
)


def test_a_kill_at_any_point_of_encrypting_in_place_leaves_the_file_whole(
    files: FileStore, tmp_path: Path
) -> None:
    data = os.urandom(24 << 20)
    name = store_bytes(files, tmp_path, data)
    script = tmp_path / "encrypt.py"
    script.write_text(_ENCRYPT_IN_PLACE, encoding="utf-8")
    rng = random.Random(23)
    outcomes = set()
    for delay in (0.0, 0.005, 0.02, 0.05, 0.1, rng.uniform(0, 0.2), 3.0):
        _as_an_older_version_left_it(files, name, data)
        with subprocess.Popen(
            [sys.executable, str(script), str(files.root), name],
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        ) as child:
            assert child.stdout is not None
            assert child.stdout.readline() == b"go\n"
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
            child.wait()
        stored = files.path(name).read_bytes()
        outcomes.add(stored.startswith(MAGIC))
        assert stored_bytes(files, name) == data  # plaintext or sealed: whole either way
        files.encrypt_in_place(name)  # the next opening goes on
        assert files.path(name).read_bytes().startswith(MAGIC)
        assert stored_bytes(files, name) == data
    assert outcomes == {False, True}  # kills before the rename, and after it


def _tag_bytes(size: int) -> int:
    return max(1, -(-size // CHUNK)) * TAG


def test_the_cost_on_disk_is_a_header_and_a_tag_per_chunk(files: FileStore, tmp_path: Path) -> None:
    for size in (1, CHUNK, 10 * CHUNK + 1):
        name = store_bytes(files, tmp_path, os.urandom(size))
        assert files.path(name).stat().st_size == HEADER_BYTES + size + _tag_bytes(size)

"""The laptop's file store: bytes copied in whole, named by their hash, verified on the way out,
kept once, and nothing half-written left behind whatever went wrong."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import textwrap
from pathlib import Path

import pytest

from dxdesk.domain.progress import Cancelled
from dxdesk.domain.records import MAX_FILE_BYTES
from dxdesk.models.file_store import (
    STALE_TEMP_SECONDS,
    FileCorrupt,
    FileProblem,
    FileStore,
    file_store_of,
)
from dxdesk.services.workspace import Workspace
from tests.small_disk import run_on_small_disk
from tests.store_files import stored_bytes

# A store key for stores made outside a data folder (the app's comes from store_key.py).
KEY = bytes(range(32))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def files(tmp_path: Path) -> FileStore:
    return FileStore(tmp_path / "data" / "files", KEY)


def leftovers(store: FileStore) -> list[Path]:
    """Everything in the store that is not a stored file: temporaries, partial downloads."""
    if not store.root.exists():
        return []
    named = {store.path(h) for h in store.stored()}
    return [p for p in store.root.rglob("*") if p.is_file() and p not in named]


def test_a_file_is_copied_in_under_its_hash_owner_only(files: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "計画案 第2版.pdf"
    data = b"%PDF-1.7 plan\n" * 1000
    source.write_bytes(data)
    stored = files.add_file(source)
    assert (stored.sha256, stored.size) == (sha(data), len(data))
    where = files.path(stored.sha256)
    assert where == files.root / stored.sha256[:2] / stored.sha256
    assert stored_bytes(files, stored.sha256) == data
    assert b"%PDF-1.7 plan" not in where.read_bytes()  # encrypted at rest
    assert stat.S_IMODE(where.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.root.stat().st_mode) == 0o700
    assert stat.S_IMODE(where.parent.stat().st_mode) == 0o700
    assert files.has(stored.sha256)
    assert leftovers(files) == []
    # A later change to the original does not touch the attachment.
    source.write_bytes(b"changed afterwards")
    assert stored_bytes(files, stored.sha256) == data


def test_the_same_content_is_kept_once(files: FileStore, tmp_path: Path) -> None:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"same bytes")
    b.write_bytes(b"same bytes")
    first, second = files.add_file(a), files.add_file(b)
    assert first == second
    assert list(files.stored()) == [first.sha256]
    assert leftovers(files) == []


def test_a_damaged_stored_file_of_another_size_is_replaced_by_good_bytes(
    files: FileStore, tmp_path: Path
) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"good bytes")
    stored = files.add_file(source)
    files.path(stored.sha256).write_bytes(b"cut")
    assert files.add_file(source) == stored
    assert stored_bytes(files, stored.sha256) == b"good bytes"


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.write_bytes(b""), "空のファイル"),
        (lambda p: p.mkdir(), "フォルダは添付できません"),
        (lambda p: None, "見つかりません"),
    ],
    ids=["empty", "folder", "missing"],
)
def test_what_cannot_be_attached_is_refused_in_words(
    files: FileStore, tmp_path: Path, make: object, words: str
) -> None:
    target = tmp_path / "資料 1"
    make(target)  # type: ignore[operator]
    with pytest.raises(FileProblem, match=words) as caught:
        files.add_file(target)
    assert "資料 1" in str(caught.value)
    assert leftovers(files) == []


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    files: FileStore, tmp_path: Path
) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as file:  # sparse: no 100 MB written
        file.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(FileProblem, match="大きすぎます（100 MB まで"):
        files.add_file(big)
    assert leftovers(files) == []


@pytest.mark.parametrize("change", ["append", "rewrite", "remove", "replace"])
def test_a_file_changed_while_copying_is_refused(
    files: FileStore, tmp_path: Path, change: str
) -> None:
    source = tmp_path / "会議メモ.docx"
    source.write_bytes(b"x" * (3 << 20))  # three chunks

    def cancel() -> bool:  # called before each chunk is written: change the source once
        if source.exists() and not getattr(cancel, "done", False):
            cancel.done = True  # type: ignore[attr-defined]
            if change == "append":
                with source.open("ab") as file:
                    file.write(b"more")
            elif change == "rewrite":
                with source.open("r+b") as file:
                    file.write(b"y")
                os.utime(source, ns=(0, 1_000_000_000))
            elif change == "remove":
                source.unlink()
            else:
                (tmp_path / "new").write_bytes(b"z" * (3 << 20))
                (tmp_path / "new").replace(source)
        return False

    with pytest.raises(FileProblem, match="コピーしている間にファイルが変更されたか削除されました"):
        files.add_file(source, cancel=cancel)
    assert list(files.stored()) == []
    assert leftovers(files) == []


def test_cancel_leaves_nothing(files: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "a.bin"
    source.write_bytes(b"x" * (3 << 20))
    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls == 2

    with pytest.raises(Cancelled):
        files.add_file(source, cancel=cancel)
    assert list(files.stored()) == []
    assert leftovers(files) == []


def test_copy_out_writes_the_verified_bytes(files: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "photo.jpg"
    source.write_bytes(b"jpeg bytes" * 500_000)
    stored = files.add_file(source)
    dest = tmp_path / "out" / "写真 1.jpg"
    dest.parent.mkdir()
    files.copy_out(stored.sha256, dest)
    assert dest.read_bytes() == source.read_bytes()
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    assert list(dest.parent.iterdir()) == [dest]
    assert files.verify(stored.sha256)


def test_damaged_bytes_are_not_copied_out(files: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_bytes(b"the original text")
    stored = files.add_file(source)
    files.path(stored.sha256).write_bytes(b"the 0riginal text")
    assert not files.verify(stored.sha256)
    dest = tmp_path / "out.txt"
    dest.write_bytes(b"what was there")
    with pytest.raises(FileCorrupt, match="壊れていました"):
        files.copy_out(stored.sha256, dest)
    assert dest.read_bytes() == b"what was there"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "data", "out.txt"]
    assert not files.has(stored.sha256)  # the next sync fetches it again


def test_read_chunks_from_an_offset(files: FileStore, tmp_path: Path) -> None:
    source = tmp_path / "a.bin"
    data = bytes(range(256)) * 100
    source.write_bytes(data)
    stored = files.add_file(source)
    assert b"".join(files.read_chunks(stored.sha256, 1000, size=333)) == data[1000:]
    assert all(len(c) <= 333 for c in files.read_chunks(stored.sha256, 0, size=333))


def test_a_partial_download_is_hashed_as_written_and_adopted_only_when_it_matches(
    files: FileStore,
) -> None:
    data = b"downloaded bytes"
    name = sha(data)
    part = files.partial_path(name)
    assert part.parent == files.root / "partial"
    assert stat.S_IMODE(part.parent.stat().st_mode) == 0o700
    with files.downloading(name), files.partial(name, len(data)) as partial:
        partial.write(b"wrong")
        digest = partial.finish()
    with pytest.raises(FileCorrupt, match="一致しません"):
        files.adopt_partial(name, digest)
    assert not part.exists() and not files.has(name)
    with files.downloading(name), files.partial(name, len(data)) as partial:
        partial.write(data[:5])  # cut here: less than a chunk, held in memory and lost
    with files.downloading(name), files.partial(name, len(data)) as partial:
        assert partial.size == 0  # nothing whole on disk: from the start
        partial.write(data)
        digest = partial.finish()
    files.adopt_partial(name, digest)
    assert stored_bytes(files, name) == data
    assert stat.S_IMODE(files.path(name).stat().st_mode) == 0o600
    assert not part.exists()


def test_a_partial_download_longer_than_its_file_starts_over(files: FileStore) -> None:
    data = b"downloaded bytes"
    files.partial_path(sha(data)).write_bytes(data + b"more")
    with files.downloading(sha(data)), files.partial(sha(data), len(data)) as partial:
        assert partial.size == 0
        partial.write(data)
        digest = partial.finish()
    files.adopt_partial(sha(data), digest)
    assert files.verify(sha(data))


def test_remove_unreferenced_keeps_what_records_name(files: FileStore, tmp_path: Path) -> None:
    kept, gone = tmp_path / "kept", tmp_path / "gone"
    kept.write_bytes(b"kept")
    gone.write_bytes(b"gone")
    files.add_file(kept)
    files.add_file(gone)
    files.partial_path(sha(b"kept")).write_bytes(b"ke")
    files.partial_path(sha(b"other")).write_bytes(b"ot")
    stale = files.root / ".incoming-stale"
    stale.write_bytes(b"killed halfway")
    os.utime(stale, (0, 0))
    fresh = files.root / ".incoming-fresh"  # another process may be writing it now
    fresh.write_bytes(b"being written")
    assert files.remove_unreferenced({sha(b"kept")}) == 1
    assert list(files.stored()) == [sha(b"kept")]
    assert files.partial_path(sha(b"kept")).exists()
    assert not files.partial_path(sha(b"other")).exists()
    assert not stale.exists() and fresh.exists()
    assert STALE_TEMP_SECONDS >= 3600


def test_the_store_is_beside_the_database(workspace: Workspace) -> None:
    assert file_store_of(workspace.store).root == workspace.store.data_dir / "files"


def test_names_that_are_not_hashes_are_refused(files: FileStore) -> None:
    for bad in ("../../etc/passwd", "ABCDEF" * 10 + "0000", ""):
        with pytest.raises(ValueError, match="not a sha256"):
            files.path(bad)
        assert not files.has(bad)


_DISK_FULL_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from dxdesk.models.file_store import FileProblem, FileStore
    KEY = bytes(32)
    small, source, elsewhere = (Path(arg) for arg in sys.argv[1:4])
    way = sys.argv[4]
    filler = small / "filler"
    try:
        if way == "in":  # attached into a store on the full disk
            FileStore(small / "files", KEY).add_file(source)
        elif way == "small":  # a small file (buffered: it fails at the flush) onto a full disk
            (small / "files").mkdir()
            with filler.open("wb", buffering=0) as fill:
                try:
                    while True:
                        fill.write(bytes(65536))
                except OSError:
                    pass
            FileStore(small / "files", KEY).add_file(source)
        else:  # a stored file saved out onto the full disk
            store = FileStore(elsewhere / "files", KEY)
            stored = store.add_file(source)
            store.copy_out(stored.sha256, small / "saved.pdf")
    except FileProblem as exc:
        result = {"error": str(exc)}
    else:
        result = {"error": None}
    left = [str(p) for p in small.rglob("*") if p.is_file() and p != filler]
    print(json.dumps({**result, "left": left}, ensure_ascii=False))
    """
)


@pytest.mark.parametrize("way", ["in", "out", "small"])
def test_a_disk_that_fills_while_writing_says_so_and_leaves_nothing(
    tmp_path: Path, way: str
) -> None:
    """A real full disk: a 1 MB tmpfs, mounted in a user and mount namespace of its own."""
    mount = tmp_path / "small"
    mount.mkdir()
    source = tmp_path / "大きな資料.pdf"
    source.write_bytes(os.urandom(2000 if way == "small" else 3 << 20))
    script = tmp_path / "fill.py"
    script.write_text(_DISK_FULL_SCRIPT, encoding="utf-8")
    done = run_on_small_disk(mount, "1m", script, mount, source, tmp_path / "data", way)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert "ディスクの空きが足りない" in result["error"]
    assert result["left"] == []


def test_exclusive_holds_an_os_lock_other_processes_see(files: FileStore) -> None:
    """The window and the CLI are two processes: the lock is a file lock in files/ (another
    open of the lock file, as another process's, cannot take it while it is held)."""
    fcntl = pytest.importorskip("fcntl")
    with files.exclusive():
        with files.exclusive():  # re-entrant in one thread
            pass
        with (files.root / ".lock").open("rb") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    with (files.root / ".lock").open("rb") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # free again
        fcntl.flock(other.fileno(), fcntl.LOCK_UN)


def test_one_download_of_a_content_at_a_time_across_processes(files: FileStore) -> None:
    """The window and ``dxdesk attachments get`` must not append to one partial file: a
    download holds an OS lock on the content's lock file beside it."""
    fcntl = pytest.importorskip("fcntl")
    name = sha(b"downloaded bytes")
    lock = files.partial_path(name).with_suffix(".lock")
    with files.downloading(name):
        with files.downloading(name):  # re-entrant in one thread
            pass
        with lock.open("rb") as other, pytest.raises(BlockingIOError):
            fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    with files.downloading(sha(b"another")), lock.open("rb") as other:
        fcntl.flock(other.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # one lock per content
        fcntl.flock(other.fileno(), fcntl.LOCK_UN)

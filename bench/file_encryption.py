"""``python -m bench.file_encryption [--mb 100] [--runs 3]``: what encrypting attachments at rest
costs (issue 23), plaintext against encrypted in the same run.

Attaching a file (copied in, hashed, flushed, renamed) and reading it out (a verified copy,
as "save as" and "open" make), and the other reads of a stored file: all of it streamed
(an upload's pieces), one random 1 MiB read (a resumed upload). The plaintext figures are the
former file store's own path with the same primitives (SourceCopy into a TempFile, a read into
a TempFile); the encrypted ones the FileStore as it is. Each figure is the median of ``--runs``;
the source is written once and read from the page cache by both.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dxdesk.models.file_intake import CHUNK_BYTES, SourceCopy
from dxdesk.models.file_store import FileStore
from dxdesk.models.file_writing import TempFile

MiB = 1 << 20


def _plain_add(source: Path, folder: Path) -> Path:
    """The former ``FileStore.add_file``: the source's chunks into a TempFile, named by hash."""
    with SourceCopy(source) as copy:
        sink = TempFile(folder)
        for chunk in copy.chunks():
            sink.write(chunk)
        copy.verify(sink)
        sink.finish()
        target = folder / sink.hash.hexdigest()
        sink.keep(target)
        return target


def _plain_copy_out(stored: Path, dest: Path) -> None:
    """The former ``FileStore.copy_out``: the stored bytes into a TempFile, hash checked."""
    sink = TempFile(dest.parent)
    with stored.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            sink.write(chunk)
    assert sink.hash.hexdigest() == stored.name
    sink.finish()
    sink.keep(dest)


def _plain_read(stored: Path, offset: int = 0, size: int = CHUNK_BYTES, *, pieces: int = -1) -> int:
    """The former ``read_chunks``: ``pieces`` of ``size`` from ``offset`` (-1: to the end)."""
    total = 0
    with stored.open("rb") as file:
        file.seek(offset)
        while pieces != 0 and (chunk := file.read(size)):
            total += len(chunk)
            pieces -= 1
    return total


def _timed(runs: int, step: Callable[[], object], reset: Callable[[], None]) -> float:
    times = []
    for _ in range(runs):
        reset()
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(work: Path, megabytes: int, runs: int) -> list[tuple[str, float, float]]:
    source = work / "source.bin"
    with source.open("wb") as writing:
        for _ in range(megabytes):
            writing.write(os.urandom(MiB))
    sha = hashlib.sha256(source.read_bytes()).hexdigest()
    plain_dir = work / "plain"
    plain_dir.mkdir()
    files = FileStore(work / "files", os.urandom(32))
    out = work / "out.bin"

    def clear_plain() -> None:
        for path in plain_dir.iterdir():
            path.unlink()

    def clear_sealed() -> None:
        if files.has(sha):
            files.path(sha).unlink()

    def nothing() -> None:
        out.unlink(missing_ok=True)

    rows = []
    attach_plain = _timed(runs, lambda: _plain_add(source, plain_dir), clear_plain)
    attach_sealed = _timed(runs, lambda: files.add_file(source), clear_sealed)
    rows.append(("attach (copy in, hash, fsync)", attach_plain, attach_sealed))
    plain = _plain_add(source, plain_dir)
    files.add_file(source)
    rows.append(
        (
            "read out (verified copy, fsync)",
            _timed(runs, lambda: _plain_copy_out(plain, out), nothing),
            _timed(runs, lambda: files.copy_out(sha, out), nothing),
        )
    )
    rows.append(
        (
            "read whole, streamed (upload)",
            _timed(runs, lambda: _plain_read(plain), nothing),
            _timed(runs, lambda: sum(len(c) for c in files.read_chunks(sha)), nothing),
        )
    )
    middle = (megabytes // 2) * MiB + 12345
    rows.append(
        (
            "1 MiB from the middle (resume)",
            _timed(runs, lambda: _plain_read(plain, middle, MiB, pieces=1), nothing),
            _timed(runs, lambda: next(files.read_chunks(sha, middle, MiB)), nothing),
        )
    )
    rows.append(
        (
            f"size on disk (MB, of {megabytes})",
            plain.stat().st_size / MiB,
            files.path(sha).stat().st_size / MiB,
        )
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="where to work (a disk, not tmpfs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        rows = measure(Path(folder), args.mb, args.runs)
    print(f"{args.mb} MB, median of {args.runs} runs, seconds")
    print(f"{'':34}{'plaintext':>12}{'encrypted':>12}{'ratio':>8}")
    for name, plain, sealed in rows:
        print(f"{name:34}{plain:12.3f}{sealed:12.3f}{sealed / plain:8.2f}")


if __name__ == "__main__":
    main()

"""Taking a person's file in: refused in words before anything is copied when it cannot be
attached (missing, a folder, empty, too large), and refused after the copy when it changed or
went while it was read (its size, its time of change or the file itself differ from before), so
that a copy is never of a file half-saved by its application. Used by FileStore.add_file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType

from dxdesk.domain.records import MAX_FILE_BYTES
from dxdesk.models.file_writing import FileProblem, Patch, Patcher, TempFile, apply_patches

CHUNK_BYTES = 1 << 20


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_size(shown: str, size: int) -> None:
    """Refuse an empty file and one over MAX_FILE_BYTES."""
    if size == 0:
        raise FileProblem(f"{shown}: 空のファイル（0 バイト）は添付できません")
    if size > MAX_FILE_BYTES:
        raise FileProblem(
            f"{shown}: ファイルが大きすぎます（{_mb(MAX_FILE_BYTES)} まで添付できます）"
        )


def check_source(source: Path) -> os.stat_result:
    """What can be attached, or FileProblem saying why not."""
    shown = source.name or str(source)
    try:
        found = source.stat()
    except FileNotFoundError:
        raise FileProblem(f"{shown}: ファイルが見つかりません（{source}）") from None
    except OSError as exc:
        raise FileProblem(f"{shown}: ファイルを読めません（{exc.strerror}）") from None
    if stat.S_ISDIR(found.st_mode):
        raise FileProblem(f"{shown}: フォルダは添付できません。中のファイルを選んでください")
    if not stat.S_ISREG(found.st_mode):
        raise FileProblem(f"{shown}: 通常のファイルではないため添付できません")
    check_size(shown, found.st_size)
    return found


class SourceCopy:
    """A source file open for copying: its chunks (patched), then ``verify`` of the copy."""

    def __init__(
        self,
        source: Path,
        *,
        patcher: Patcher | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        self.source = source
        self.shown = source.name or str(source)
        self._patcher = patcher
        self._progress = progress
        self._before = check_source(source)
        try:
            self._file = source.open("rb")
        except FileNotFoundError:
            raise FileProblem(f"{self.shown}: ファイルが見つかりません（{source}）") from None
        except OSError as exc:
            raise FileProblem(f"{self.shown}: ファイルを読めません（{exc.strerror}）") from None

    def __enter__(self) -> SourceCopy:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._file.close()

    def chunks(self) -> Iterator[bytes]:
        """The source's bytes, patched, with ``progress`` told after each chunk (an error of
        its own is not taken for one of the file's)."""
        patches = self._patches()
        offset = 0
        for chunk in self._raw():
            yield apply_patches(chunk, offset, patches) if patches else chunk
            offset += len(chunk)
            if self._progress is not None:
                self._progress(offset)

    def _patches(self) -> list[Patch]:
        try:
            return list(self._patcher(self._file)) if self._patcher else []
        except OSError as exc:
            raise self._unreadable(exc) from None

    def _raw(self) -> Iterator[bytes]:
        try:
            self._file.seek(0)
            while chunk := self._file.read(CHUNK_BYTES):
                yield chunk
        except OSError as exc:
            raise self._unreadable(exc) from None

    def _unreadable(self, exc: OSError) -> FileProblem:
        return FileProblem(f"{self.shown}: ファイルを読めません（{exc.strerror}）")

    def verify(self, sink: TempFile) -> None:
        """Refuse a copy of a file that changed or went while it was read."""
        changed = FileProblem(
            f"{self.shown}: コピーしている間にファイルが変更されたか削除されました。"
            "ファイルを閉じてから、もう一度添付してください"
        )
        before = self._before
        try:
            after = self.source.stat()
        except OSError:
            raise changed from None
        opened = os.fstat(self._file.fileno())
        same = (
            sink.size == before.st_size
            and after.st_size == before.st_size
            and after.st_mtime_ns == before.st_mtime_ns
            and (opened.st_dev, opened.st_ino) == (after.st_dev, after.st_ino)
            and (opened.st_dev, opened.st_ino) == (before.st_dev, before.st_ino)
        )
        if not same:
            raise changed

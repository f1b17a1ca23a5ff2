"""The pieces ``bench.attachments`` is made of: the files, the laptops of the coordinator, a
transfer run in a child process (``bench.attachment_side``), a process's peak memory, and a
first sync timed until its records are stored.

A laptop's workspace is open only while the bench itself works on it (``Laptop.opened``), so
that a child process can open the same data folder for a transfer.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.attachment_side import reset_peak, vm_kib
from bench.server_setup import COORDINATOR, PASSWORD, BenchFailure, Server
from dxdesk.models import store_cipher
from dxdesk.models.file_store import file_store_of
from dxdesk.models.tables import AttachmentRow, AttachmentUpload, EngagementRow
from dxdesk.services.workspace import Workspace, open_workspace
from dxdesk.sync import files
from dxdesk.sync.api_client import SyncApiClient
from dxdesk.sync.engine import SyncEngine, SyncSummary
from dxdesk.sync.file_budget import FileBudget, set_budget

ROOT = Path(__file__).resolve().parents[1]
CHILD_TIMEOUT_S = 600.0
WATCH_EVERY_S = 0.01
OFF = FileBudget(months=0, megabytes=0)


def make_files(folder: Path, prefix: str, count: int, size: int) -> list[Path]:
    """``count`` files of ``size`` random bytes (incompressible, each distinct), in 1 MiB
    writes."""
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for n in range(count):
        path = folder / f"{prefix}-{n:03d}.bin"
        with path.open("wb") as out:
            left = size
            while left:
                out.write(os.urandom(min(left, 1 << 20)))
                left -= min(left, 1 << 20)
        made.append(path)
    return made


# --- the laptops ------------------------------------------------------------------------------


@dataclass
class Laptop:
    """A data folder of the app, logged in as the coordinator (the token kept for its children)."""

    server: Server
    data_dir: Path
    token: str

    @classmethod
    def new(cls, server: Server, data_dir: Path, name: str) -> Laptop:
        workspace = open_workspace(data_dir)
        try:
            workspace.store.clear_records()  # an empty device, whatever open_store gave
        finally:
            workspace.close()
        api = SyncApiClient(server.client())
        try:
            token = api.login(COORDINATOR, PASSWORD, name).token
        finally:
            api.close()
        return cls(server, data_dir, token)

    @contextlib.contextmanager
    def opened(self) -> Iterator[tuple[Workspace, SyncApiClient]]:
        workspace = open_workspace(self.data_dir)
        api = SyncApiClient(self.server.client(), token=self.token)
        try:
            yield workspace, api
        finally:
            api.close()
            workspace.close()

    def first_sync(self) -> None:
        """Pull everything, fetching no file ahead (the budget off)."""
        with self.opened() as (workspace, api):
            set_budget(workspace.store, OFF)
            SyncEngine(workspace.store, api).sync()

    def attach_and_push(self, visit: str, paths: Sequence[Path]) -> None:
        """Attach the files to the visit and push the records (their bytes stay here)."""
        with self.opened() as (workspace, api):
            workspace.attachments.attach("visit", visit, list(paths))
            engine = SyncEngine(workspace.store, api)
            summary = SyncSummary()
            engine.push(summary)
            if summary.pushed != len(paths):
                raise BenchFailure(f"pushed {summary.pushed} records, not {len(paths)}")

    def upload_here(self) -> None:
        """Send every file waiting, in this process (untimed setup)."""
        with self.opened() as (workspace, api):
            files.upload_pending(workspace.store, api, SyncSummary())
            check_uploaded(workspace)

    def attachment_ids(self, names: Sequence[str]) -> list[str]:
        with self.opened() as (workspace, _api), workspace.store.session() as session:
            query = select(AttachmentRow.name, AttachmentRow.id).where(
                AttachmentRow.name.in_(names)
            )
            found = dict(session.execute(query).tuples().all())
        if len(found) != len(names):
            raise BenchFailure(f"{len(found)} of {len(names)} attachments pulled")
        return [found[name] for name in names]

    def check_absent(self, ids: Sequence[str]) -> None:
        """None of the attachments' bytes are here yet (the download to come moves them all)."""
        with self.opened() as (workspace, _api), workspace.store.session() as session:
            hashes = session.scalars(select(AttachmentRow.sha256).where(AttachmentRow.id.in_(ids)))
            store = file_store_of(workspace.store)
            here = [h for h in hashes if store.has(h) or store.partial_path(h).exists()]
        if here:
            raise BenchFailure(f"{len(here)} files here before their download")

    def check_present(self, ids: Sequence[str]) -> None:
        """Every attachment's bytes are here, and their hash is their name."""
        with self.opened() as (workspace, _api), workspace.store.session() as session:
            hashes = session.scalars(select(AttachmentRow.sha256).where(AttachmentRow.id.in_(ids)))
            store = file_store_of(workspace.store)
            bad = [h for h in hashes if not store.verify(h)]
        if bad:
            raise BenchFailure(f"{len(bad)} files missing or damaged after the download")

    def job(self, do: str, **extra: Any) -> dict[str, Any]:
        return {
            "do": do,
            "data_dir": str(self.data_dir),
            "base_url": self.server.base_url,
            "ca": str(self.server.ca),
            "token": self.token,
            **extra,
        }


def check_uploaded(workspace: Workspace) -> None:
    with workspace.store.session() as session:
        waiting = session.scalar(select(func.count()).select_from(AttachmentUpload))
    if waiting:
        raise BenchFailure(f"{waiting} files still waiting to go up")


# --- one transfer in a child process ----------------------------------------------------------


@dataclass
class TransferRun:
    seconds: float
    bytes: int
    rss_before_mb: float
    peak_rss_mb: float | None
    after_rss_mb: float
    server_peak_mb: float | None = None
    server_before_mb: float | None = None

    def describe(self) -> str:
        rate = self.bytes / 1e6 / self.seconds if self.seconds else 0.0
        text = f"{self.seconds:.2f} s ({rate:.0f} MB/s), client RSS {self.rss_before_mb:.0f} MB"
        if self.peak_rss_mb is not None:
            text += f" before, peak {self.peak_rss_mb:.0f} MB"
        if self.server_peak_mb is not None:
            text += f", server peak {self.server_peak_mb:.0f} MB"
            if self.server_before_mb is not None:
                text += f" ({self.server_before_mb:.0f} MB before)"
        return text


def run_side(python: str, job: dict[str, Any]) -> TransferRun:
    """``bench.attachment_side`` with ``job``; fails loudly with the child's stderr."""
    done = subprocess.run(
        [python, "-m", "bench.attachment_side", json.dumps(job)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise BenchFailure(f"{job['do']} exited {done.returncode}: {done.stderr[-2000:]}")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return TransferRun(
        answer["seconds"],
        answer["bytes"],
        answer["rss_before_mb"],
        answer["peak_rss_mb"],
        answer["after_rss_mb"],
    )


class Peak:
    """A process's peak RSS over a block, MB: its kernel high-water mark reset at the start or,
    where that cannot be reset, the highest of samples every 10 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.mb: float | None = None
        self.before_mb: float | None = None
        self._samples: list[int] = []
        self._done = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        before = vm_kib("VmRSS", self.pid)
        self.before_mb = None if before is None else before / 1024
        if not reset_peak(self.pid):
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        if self._thread is None:
            peak = vm_kib("VmHWM", self.pid)
        else:
            self._done.set()
            self._thread.join()
            peak = max(self._samples, default=None)
        self.mb = None if peak is None else peak / 1024

    def _sample(self) -> None:
        while not self._done.is_set():
            value = vm_kib("VmRSS", self.pid)
            if value is not None:
                self._samples.append(value)
            time.sleep(0.01)


@contextlib.contextmanager
def peak_of(pid: int) -> Iterator[Peak]:
    peak = Peak(pid)
    peak.start()
    try:
        yield peak
    finally:
        peak.stop()


# --- a first sync, timed until its records are stored -----------------------------------------


@dataclass(frozen=True)
class FirstSync:
    records_s: float  # from the start until every record is stored
    told_s: float  # until the engine told that the records are done (records_done)
    total_s: float  # until SyncEngine.sync() returned: the files within the budget here too
    records: int
    attachments: int
    files: int
    files_bytes: int

    def describe(self) -> str:
        text = f"records stored {self.records_s:.2f} s, told {self.told_s:.2f} s"
        if self.files:
            rate = self.files_bytes / 1e6 / max(1e-9, self.total_s - self.told_s)
            text += (
                f", {self.files} files ({self.files_bytes / 2**30:.2f} GiB) there at "
                f"{self.total_s:.1f} s ({rate:.0f} MB/s after the records)"
            )
        return text


class RecordWatcher:
    """Reads the visit and attachment counts every 10 ms on its own connection; notes when
    both reach what the server holds."""

    def __init__(self, database: Path, key: bytes, visits: int, attachments: int) -> None:
        self.database = database
        self.key = key
        self.expected = (visits, attachments)
        self.reached: float | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> RecordWatcher:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _watch(self) -> None:
        query = (
            f"SELECT (SELECT count(*) FROM {EngagementRow.__tablename__}), "
            f"(SELECT count(*) FROM {AttachmentRow.__tablename__})"
        )
        visits, attachments = self.expected
        connection = store_cipher.connect(self.database, self.key, read_only=True)
        try:
            while True:
                stopping = self._done.is_set()  # one more look after the block's end
                have_visits, have_attachments = connection.execute(query).fetchone()
                if have_visits >= visits and have_attachments >= attachments:
                    self.reached = time.perf_counter()
                    return
                if stopping:
                    return
                time.sleep(WATCH_EVERY_S)
        finally:
            connection.close()


def first_sync_timed(
    laptop: Laptop, *, visits: int, attachments: int, budget: FileBudget
) -> FirstSync:
    """A first sync as the app runs it (``SyncEngine.sync``: the records, then the files within
    ``budget``), timed until the records are stored, told, and until it returns."""
    told: list[float] = []
    with laptop.opened() as (workspace, api):
        store = workspace.store
        set_budget(store, budget)
        with RecordWatcher(store.path, store.key, visits, attachments) as watcher:
            started = time.perf_counter()
            SyncEngine(store, api).sync(records_done=lambda _s: told.append(time.perf_counter()))
            ended = time.perf_counter()
        if watcher.reached is None or not told:
            raise BenchFailure("the first sync did not store and tell every record")
        here = file_store_of(store)
        fetched = list(here.stored())
        size = sum(here.path(h).stat().st_size for h in fetched)
    return FirstSync(
        watcher.reached - started,
        told[0] - started,
        ended - started,
        visits + attachments,
        attachments,
        len(fetched),
        size,
    )

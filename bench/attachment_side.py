"""The client side of one transfer of ``bench.attachments``, in a child process of its own so that
its peak memory (RSS) is the transfer's and nothing of the bench's.

``python -m bench.attachment_side JSON`` reads one job and prints one JSON line: the seconds of
the transfer, the bytes moved, the resident memory before it and the peak during it (Linux:
the kernel's high-water mark, reset through ``/proc/self/clear_refs`` just before the transfer,
read just after, so nothing of the imports or the setup counts unless it is still resident).

Jobs (``"do"``):

- ``plain-put`` / ``plain-get``: plain httpx against the bare endpoint (``bench.bare_endpoint``),
  ``paths`` to send or ``names`` to fetch.
- ``upload``: DX Desk's ``upload_pending`` on the device in ``data_dir`` (its attachments attached
  and their records pushed by the parent), with the app's own HTTP client (``build_client`` and
  ``SyncApiClient``) logged in with ``token``.
- ``download``: DX Desk's ``download_one`` of each of ``ids`` on the device in ``data_dir`` (the
  records pulled by the parent, the bytes not here yet).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def vm_kib(field: str, pid: int | str = "self") -> int | None:
    """A ``VmRSS``/``VmHWM`` line of /proc/PID/status in KiB; None where there is none."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) if match else None


def reset_peak(pid: int | str = "self") -> bool:
    """Set the process's high-water mark of RSS to its current RSS (Linux 4.0 and later)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def mb(kib: int | None) -> float | None:
    return None if kib is None else kib / 1024


def measured(work: Callable[[], int]) -> dict[str, Any]:
    """Run ``work`` (returns bytes moved) between a reset and a read of the peak RSS."""
    before = vm_kib("VmRSS")
    reset = reset_peak()
    started = time.perf_counter()
    moved = work()
    seconds = time.perf_counter() - started
    peak = vm_kib("VmHWM") if reset else None
    return {
        "seconds": seconds,
        "bytes": moved,
        "rss_before_mb": mb(before),
        "peak_rss_mb": mb(peak),
        "after_rss_mb": mb(vm_kib("VmRSS")),
    }


def _plain(job: dict[str, Any]) -> Callable[[], int]:
    from bench.bare_endpoint import plain_client, plain_get, plain_put

    client = plain_client(job["base_url"], Path(job["ca"]))
    client.get("/blob/-")  # the connection and TLS handshake, as the app's client has them too
    if job["do"] == "plain-put":
        paths = [Path(p) for p in job["paths"]]
        return lambda: plain_put(client, paths)
    names = list(job["names"])
    return lambda: plain_get(client, names)


def _dxdesk(job: dict[str, Any]) -> Callable[[], int]:
    from sqlalchemy import func, select

    from dxdesk.models.tables import AttachmentUpload
    from dxdesk.services.workspace import open_workspace
    from dxdesk.sync import files
    from dxdesk.sync.api_client import SyncApiClient, build_client
    from dxdesk.sync.summary import SyncSummary

    workspace = open_workspace(Path(job["data_dir"]))
    client = SyncApiClient(
        build_client(job["base_url"], ca_file=job["ca"], timeout=300.0), token=job["token"]
    )
    client.me()  # the connection and TLS handshake, as the plain client's warm-up request
    store = workspace.store

    def upload() -> int:
        summary = SyncSummary()
        files.upload_pending(store, client, summary)
        with store.session() as session:
            waiting = session.scalar(select(func.count()).select_from(AttachmentUpload))
        if waiting:
            raise RuntimeError(f"{waiting} uploads still waiting after upload_pending")
        return int(job["bytes"])

    def download() -> int:
        for attachment_id in job["ids"]:
            files.download_one(store, client, attachment_id)
        return int(job["bytes"])

    return upload if job["do"] == "upload" else download


def main(argv: list[str]) -> int:
    job = json.loads(argv[0])
    work = _plain(job) if job["do"].startswith("plain-") else _dxdesk(job)
    sys.stdout.write(json.dumps(measured(work)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

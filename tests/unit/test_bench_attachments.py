"""The attachment benchmark's yardsticks: the bare endpoint really moves the bytes over TLS,
a peak of memory is the transfer's own, and ``--only`` runs one benchmark alone (with the run's
baseline when it is shown against it)."""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

from bench import attachments, desktop, search
from bench.__main__ import chosen
from bench.attachment_side import measured
from bench.bare_endpoint import bare_server, plain_client, plain_get, plain_put

MiB = 1 << 20


def test_the_bare_endpoint_takes_and_serves_the_same_bytes_over_tls(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    files = []
    for n, size in enumerate((1, 3 * MiB + 17)):
        path = served / f"file-{n}.bin"
        path.write_bytes(os.urandom(size))
        files.append(path)
    with (
        bare_server(sys.executable, served, tmp_path / "tls") as server,
        plain_client(server.base_url, server.ca) as client,
    ):
        assert server.base_url.startswith("https://")
        assert plain_put(client, files) == 1 + 3 * MiB + 17
        answer = client.put("/blob/x", content=files[1].read_bytes())
        assert answer.json() == {
            "size": 3 * MiB + 17,
            "sha256": hashlib.sha256(files[1].read_bytes()).hexdigest(),
        }
        assert plain_get(client, [f.name for f in files]) == 1 + 3 * MiB + 17
        assert client.get(f"/blob/{files[1].name}").content == files[1].read_bytes()
        assert client.get("/blob/missing.bin").status_code == 404
    assert server.process.poll() is not None  # stopped at the end


def test_a_peak_of_memory_is_the_transfers_own() -> None:
    held = bytearray(150 * MiB)  # touched: resident before the measured work
    held[::4096] = b"x" * len(held[::4096])
    del held
    quiet = measured(lambda: 0)
    assert quiet["peak_rss_mb"] is not None
    assert quiet["peak_rss_mb"] < quiet["rss_before_mb"] + 50  # the old peak does not count

    def allocate() -> int:
        block = bytearray(120 * MiB)
        block[::4096] = b"y" * len(block[::4096])
        return len(block)

    busy = measured(allocate)
    assert busy["bytes"] == 120 * MiB
    assert busy["peak_rss_mb"] >= busy["rss_before_mb"] + 100


def test_only_runs_the_named_benchmarks_with_the_baseline_they_need() -> None:
    assert chosen("attachments") == (attachments.attachments,)
    assert chosen("search,attachments") == (search.search_figures, attachments.attachments)
    assert chosen("cold_start")[:2] == (desktop.baseline, desktop.cold_start)
    with pytest.raises(SystemExit, match="unknown benchmark nothing"):
        chosen("nothing")

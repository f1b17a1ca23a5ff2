"""What the machine does while a benchmark phase runs: CPU per process, and PostgreSQL sessions.

``LoadMeter`` is a context manager around a phase. It reads CPU seconds from Linux's /proc (of
the server process, of this process, of one database's PostgreSQL backends, of the whole
machine, and of the busiest other processes, so a run disturbed by other work says so) and
samples ``pg_stat_activity`` of that database: how many sessions wait on a lock, run a query,
or sit idle in a transaction. Where /proc is missing the CPU figures are zero.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg


def _process_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc; 0 where unavailable)."""
    try:
        after_name = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(after_name[11]) + int(after_name[12])) / os.sysconf("SC_CLK_TCK")


def _all_processes_cpu() -> dict[int, tuple[str, float]]:
    """Name and CPU seconds of every process now (Linux /proc; empty elsewhere)."""
    found: dict[int, tuple[str, float]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, _, tail = entry.read_text().rpartition(")")
            fields = tail.split()
            name = head.split("(", 1)[1]
            ticks = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
        found[int(entry.parent.name)] = (name, ticks / os.sysconf("SC_CLK_TCK"))
    return found


def _command_line(pid: int) -> str:
    try:
        words = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return ""
    text = " ".join(w.decode(errors="replace") for w in words if w)
    return f"{text[:60]}… (pid {pid})" if len(text) > 60 else f"{text} (pid {pid})"


def _machine_cpu() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine since boot (all cores)."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return 0.0, 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    idle = values[3] + values[4]
    return (sum(values) - idle) / ticks, sum(values) / ticks


@dataclass
class Load:
    wall_s: float = 0.0
    server_cpu_s: float = 0.0  # the server process (one interpreter: at most ~1 core of Python)
    bench_cpu_s: float = 0.0  # this process: the client threads (TLS, httpx, JSON)
    machine_busy_s: float = 0.0  # every core
    postgres_cpu_s: float = 0.0  # this database's backends (those that lived to be sampled)
    cores: float = 0.0
    load_before: float = 0.0  # the 1-minute load average as the phase began
    others: list[tuple[str, float]] = field(default_factory=list)  # busiest other processes
    samples: int = 0
    lock_waiting: float = 0.0  # mean backends waiting on a lock (pushes queued on sync_clock)
    active: float = 0.0  # mean backends running a statement
    idle_in_transaction: float = 0.0  # mean transactions open while the server's Python works

    def describe(self) -> str:
        if not self.wall_s:
            return ""
        known = self.server_cpu_s + self.bench_cpu_s + self.postgres_cpu_s
        other = max(0.0, self.machine_busy_s - known)
        busy = self.machine_busy_s / (self.cores * self.wall_s) if self.cores else 0.0
        text = (
            f"CPU over {self.wall_s:.1f} s on {self.cores:.0f} cores (1 core = 100%): "
            f"server process {self.server_cpu_s / self.wall_s:.0%}, "
            f"bench clients {self.bench_cpu_s / self.wall_s:.0%}, "
            f"PostgreSQL backends {self.postgres_cpu_s / self.wall_s:.0%}, "
            f"other processes and kernel {other / self.wall_s:.0%}; machine {busy:.0%} busy "
            f"(load average {self.load_before:.1f} before)"
        )
        if self.others:
            text += "; busiest other processes: " + ", ".join(
                f"{name} {cpu / self.wall_s:.0%}" for name, cpu in self.others
            )
        if self.samples:
            text += (
                f"; PostgreSQL sessions ({self.samples} samples), on average: "
                f"{self.lock_waiting:.1f} waiting on a lock, {self.active:.1f} running a query, "
                f"{self.idle_in_transaction:.1f} idle in a transaction"
            )
        return text


class LoadMeter:
    """CPU of the server, of this process and of the machine, and samples of pg_stat_activity."""

    SAMPLE_EVERY_S = 0.05

    def __init__(self, server_pid: int, conninfo: str) -> None:
        self.server_pid = server_pid
        self.conninfo = conninfo  # libpq URL of the database whose sessions are sampled
        self.result = Load()
        self._stop = threading.Event()
        self._sums = [0, 0, 0]
        self._samples = 0
        self._backend_start: dict[int, float] = {}  # CPU of each backend when first seen
        self._backend_last: dict[int, float] = {}
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> LoadMeter:
        self._load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
        self._began = time.perf_counter()
        self._server = _process_cpu_s(self.server_pid)
        self._bench = time.process_time()
        self._machine = _machine_cpu()
        self._processes = _all_processes_cpu()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.perf_counter() - self._began
        self._stop.set()
        self._thread.join(timeout=10)
        busy, total = _machine_cpu()
        mine = {os.getpid(), self.server_pid, *self._backend_last}
        others = sorted(
            (
                (_command_line(pid) or name, cpu - self._processes[pid][1])
                for pid, (name, cpu) in _all_processes_cpu().items()
                if pid in self._processes and pid not in mine
            ),
            key=lambda item: -item[1],
        )
        n = max(1, self._samples)
        self.result = Load(
            wall_s=wall,
            server_cpu_s=_process_cpu_s(self.server_pid) - self._server,
            bench_cpu_s=time.process_time() - self._bench,
            machine_busy_s=busy - self._machine[0],
            cores=(total - self._machine[1]) / wall if wall else 0.0,
            postgres_cpu_s=sum(
                last - self._backend_start.get(pid, 0.0) for pid, last in self._backend_last.items()
            ),
            load_before=self._load,
            others=[(name, cpu) for name, cpu in others[:3] if cpu >= 0.05 * wall],
            samples=self._samples,
            lock_waiting=self._sums[0] / n,
            active=self._sums[1] / n,
            idle_in_transaction=self._sums[2] / n,
        )

    def _sample(self) -> None:
        query = (
            "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'), "
            "count(*) FILTER (WHERE state = 'active' "
            "AND wait_event_type IS DISTINCT FROM 'Lock'), "
            "count(*) FILTER (WHERE state = 'idle in transaction') "
            "FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        backends = (
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        try:
            with psycopg.connect(self.conninfo, autocommit=True) as connection:
                self._read_backends(connection.execute(backends).fetchall(), first=True)
                n = 0
                while not self._stop.wait(self.SAMPLE_EVERY_S):
                    row = connection.execute(query).fetchone()
                    if row is not None:
                        for i in range(3):
                            self._sums[i] += row[i]
                        self._samples += 1
                    n += 1
                    if n % 10 == 0:  # backends come and go with the pool's overflow
                        self._read_backends(connection.execute(backends).fetchall())
                self._read_backends(connection.execute(backends).fetchall())
        except psycopg.Error:
            pass  # the figures stand without the samples

    def _read_backends(self, rows: list[tuple[int]], *, first: bool = False) -> None:
        for (pid,) in rows:
            cpu = _process_cpu_s(pid)
            if first:
                self._backend_start[pid] = cpu
            self._backend_last[pid] = cpu

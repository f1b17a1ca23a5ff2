"""The tests' command runner is bounded: a command that hangs fails its test and is killed."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.child_process import TimedOut, run, stop

# Starts a grandchild that would sleep for a minute, says where, then waits for it.
HANGS = """
import subprocess, sys
child = subprocess.Popen(["sleep", "60"])
print(child.pid, flush=True)
open(sys.argv[1], "w").write(str(child.pid))
child.wait()
"""


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_command_that_hangs_is_killed_with_what_it_started(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(TimedOut, match=r"did not finish in 1 s \(killed\)"):
        run([sys.executable, "-c", HANGS, str(pid_file)], timeout=1, capture_output=True)
    assert time.monotonic() - started < 15
    grandchild = int(pid_file.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild)


def test_a_command_has_no_terminal_and_empty_stdin_unless_given_input() -> None:
    script = "import os, sys; print(repr(sys.stdin.read()), os.getsid(0) == os.getpid())"
    done = run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == "'' True\n"
    done = run([sys.executable, "-c", script], input="abc", capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "'abc' True\n")


def test_check_raises_on_a_failing_status() -> None:
    with pytest.raises(subprocess.CalledProcessError):
        run([sys.executable, "-c", "raise SystemExit(3)"], check=True)


def test_stop_ends_a_process_that_ignores_sigterm() -> None:
    script = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
    process = subprocess.Popen([sys.executable, "-c", script])
    try:
        time.sleep(0.5)  # let it ignore SIGTERM first
        stop(process, timeout=0.5)
    finally:
        process.kill()
        process.wait(timeout=10)
    assert process.returncode == -9

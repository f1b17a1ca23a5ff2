"""Child processes of tests: each bounded in time, none left running after its test.

A command that should refuse may start a server instead, or wait for input that never comes:
``run`` then fails the test after its timeout and kills the command with its whole process
group, where a bare ``subprocess.run`` waited for ever (a ``dxdesk-server serve`` that did not
refuse once listened on 127.0.0.1:8443 for an hour). A process a test starts to keep running, a
server, is ended by ``stop`` in the test's ``finally``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Sequence
from typing import Any, Literal, overload

TIMEOUT = 60.0  # seconds; a command of the app takes one or two
STOP_TIMEOUT = 10.0  # seconds a process has to end after SIGTERM, before SIGKILL


class TimedOut(AssertionError):
    """A command that did not finish in time (it has been killed)."""


@overload
def run(
    args: Sequence[str],
    *,
    text: Literal[True],
    timeout: float = ...,
    input: str | None = ...,
    capture_output: bool = ...,
    check: bool = ...,
    **popen: Any,
) -> subprocess.CompletedProcess[str]: ...
@overload
def run(
    args: Sequence[str],
    *,
    text: Literal[False] = ...,
    timeout: float = ...,
    input: bytes | None = ...,
    capture_output: bool = ...,
    check: bool = ...,
    **popen: Any,
) -> subprocess.CompletedProcess[bytes]: ...
def run(
    args: Sequence[str],
    *,
    text: bool = False,
    timeout: float = TIMEOUT,
    input: str | bytes | None = None,
    capture_output: bool = False,
    check: bool = False,
    **popen: Any,
) -> subprocess.CompletedProcess[Any]:
    """``subprocess.run`` that always has a timeout, and in its own session: no controlling
    terminal (nothing can ask at the developer's terminal), stdin empty unless ``input`` is
    given, and its process group killed whole when the timeout passes."""
    popen.setdefault("stdin", subprocess.DEVNULL if input is None else subprocess.PIPE)
    if capture_output:
        popen["stdout"] = popen["stderr"] = subprocess.PIPE
    popen["start_new_session"] = True
    with subprocess.Popen(args, text=text, **popen) as process:
        try:
            out, err = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            raise TimedOut(f"{' '.join(args)} did not finish in {timeout:g} s (killed)") from None
        except BaseException:
            _kill_group(process)
            raise
    done = subprocess.CompletedProcess(args, process.returncode, out, err)
    if check:
        done.check_returncode()
    return done


def stop(process: subprocess.Popen[Any], timeout: float = STOP_TIMEOUT) -> None:
    """End a process a test started (SIGTERM, then SIGKILL after ``timeout``) and reap it."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)


def _kill_group(process: subprocess.Popen[Any]) -> None:
    """SIGKILL to the process and whatever it started (its session's group), then reap it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    # A pipe may stay open in a process outside the group: then leave it after STOP_TIMEOUT.
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=STOP_TIMEOUT)

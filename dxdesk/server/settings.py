"""What a server process is configured with; every process on one database agrees on it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import platformdirs

from dxdesk.domain.records import MAX_FILE_BYTES

DATABASE_ENV = "DXDESK_SERVER_DB"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir("dxdesk-server", appauthor=False))


def default_database_url() -> str:
    return os.environ.get(DATABASE_ENV) or f"sqlite:///{default_data_dir() / 'server.sqlite3'}"


# How long after an unassignment a laptop that has not pulled since may still send its changes
# to the records of that municipality it held (write_scope.py).
DEFAULT_UNASSIGNED_GRACE = timedelta(days=14)

# How long the content of a deleted record is kept before ``dxdesk-server purge`` clears it
# (purge.py); the operator sets it for every process on the database with this variable.
RETENTION_ENV = "DXDESK_SERVER_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 3650


class SettingError(ValueError):
    """A setting given in the environment cannot be used; the message says which and why."""


def retention_days(text: str | None = None) -> int:
    """The retention period in days: ``text``, else $DXDESK_SERVER_RETENTION_DAYS, else 90."""
    given = text if text is not None else os.environ.get(RETENTION_ENV)
    if given is None or not given.strip():
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(given.strip())
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_RETENTION_DAYS:
        raise SettingError(
            f"保存期間（{RETENTION_ENV}）は 0〜{MAX_RETENTION_DAYS} の日数で指定してください: "
            f"{given!r}"
        )
    return days


@dataclass(frozen=True)
class Settings:
    database_url: str
    # Told to the laptops on each pull (RETENTION_HEADER); ``serve`` reads it from the
    # environment (retention_days), as ``purge`` does.
    retention_days: int = DEFAULT_RETENTION_DAYS
    token_lifetime: timedelta = timedelta(days=180)
    # Failed logins within the window, per bucket (login_throttle.py): when one is full, the
    # next attempt in it waits, before its password is checked.
    login_window: timedelta = timedelta(minutes=15)
    max_failures_per_account_and_address: int = 5
    max_failures_per_address: int = 20
    # From every address together: guesses spread over many addresses. Laptops with a device
    # key are not held by it, so it can be far below what a botnet could spread over.
    max_failures_per_account: int = 50
    # Wrong passwords sent with one device's key (a stolen laptop's key guesses no further).
    max_failures_per_device: int = 5
    # An attempt whose bucket is full only with checks still in flight waits up to this long
    # for them to end. A check takes 0.2 s of a core, but 30 logins at once from one office
    # took 12 s on a busy two-core test machine; a limit of 10 s refused some of them. A row
    # still pending after login_pending_timeout (the server stopped during its check) counts
    # as a failure.
    login_settle_wait: timedelta = timedelta(seconds=30)
    login_pending_timeout: timedelta = timedelta(minutes=1)
    # Request bodies, counted as they arrive, chunked or not (body_limit.py). A push of a few
    # thousand records fits 64 MB many times over. Login's body is at most 1,300 characters
    # (user 100, password 1,000, device name 200), 12 bytes each even when every one is a
    # \u-escaped surrogate pair, and a device key of 47 ASCII: 15.7 KB, so 16 KB refuses
    # nothing valid, and anyone can reach it.
    max_body_bytes: int = 64 * 1024 * 1024
    max_login_body_bytes: int = 16 * 1024
    # Set on each laptop's hold of a municipality when its account is unassigned it; the
    # operator sees it in ``devices`` and may give another with ``unassign --grace DAYS``.
    unassigned_grace: timedelta = DEFAULT_UNASSIGNED_GRACE
    # Slow clients (connections.py, body_limit.py): a request's head must be whole within
    # header_timeout_s of its first byte (or of the connection); its body must not pause for
    # body_gap_s, and must come at min_body_bytes_per_s on average after that first grace (so
    # one byte every few seconds cannot hold a connection). A laptop sends its head in one
    # packet and a push at well over 10 KB/s, so none of these is near what a client needs.
    # At most max_connections_per_address open at once from one address (an IPv6 /64): the
    # app opens one or two, an office behind one NAT a few dozen.
    header_timeout_s: float = 10.0
    body_gap_s: float = 10.0
    min_body_bytes_per_s: int = 1024
    max_connections_per_address: int = 32
    # Attachments (attachment_files.py): the largest file taken, and what one account's live
    # attachments may hold in all; over either, the answer is 413 with the limit.
    max_file_bytes: int = MAX_FILE_BYTES
    file_quota_bytes: int = 10 * 1024**3

"""What the transfers of an attachment's bytes (sync/file_uploads.py, file_downloads.py) know
of it, and what they share."""

from __future__ import annotations

from dataclasses import dataclass

from dxdesk.domain.progress import CancelToken

# A transfer cut this many times in a row gives up for this sync (the next one resumes).
RESUME_ATTEMPTS = 4


@dataclass(frozen=True)
class AttachedFile:
    """The bytes of one attachment to send or fetch: its record's id (the file endpoints' key),
    its name (for messages), the content's sha256 and size, and its municipality (None:
    prefecture-wide; only the uploads read it)."""

    id: str
    name: str
    sha256: str
    size: int
    municipality: str | None = None


def check_cancel(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.check()

"""The wire format of an attachment's bytes, shared by the server and the app's sync of files.

An attachment's record syncs like any other (push and pull); its bytes go by their own
endpoints, keyed by the attachment's id (docs/sync-protocol.md, Files):

- ``GET  /api/v1/files/{id}/upload``: how much of the file the server has (``UploadState``).
- ``PUT  /api/v1/files/{id}/upload?offset=N``: the next bytes, raw, at most
  ``UPLOAD_CHUNK_BYTES`` per request, from ``offset`` = what the server has (else 409
  ``upload-offset`` with ``received``). When the last byte arrives the server checks the sha256
  against the record's; the record is pulled by others only once that is done.
- ``GET  /api/v1/files/{id}``: the bytes, streamed; ``Range: bytes=N-`` resumes (206).
"""

from __future__ import annotations

from typing import Annotated, Final

from pydantic import Field

from dxdesk.wire.protocol import WireModel

FILES_PATH: Final = "/api/v1/files"
# The most one upload request may carry; the server refuses a larger body (413 too-large).
UPLOAD_CHUNK_BYTES: Final = 8 * 1024 * 1024
OCTET_STREAM: Final = "application/octet-stream"
# Problem codes (the end of a problem's ``type``) of the file endpoints.
UPLOAD_OFFSET: Final = "upload-offset"  # 409, with ``received``
FILE_TOO_LARGE: Final = "file-too-large"  # 413, with ``limit`` in bytes
QUOTA_EXCEEDED: Final = "quota-exceeded"  # 413, with ``limit`` in bytes
HASH_MISMATCH: Final = "hash-mismatch"  # 422; the bytes staged so far are dropped
UPLOAD_TOO_LONG: Final = "upload-too-long"  # 422; more bytes than the record's size


def file_path(attachment_id: str) -> str:
    return f"{FILES_PATH}/{attachment_id}"


def upload_path(attachment_id: str) -> str:
    return f"{FILES_PATH}/{attachment_id}/upload"


class UploadState(WireModel):
    """What the server holds of an attachment's bytes."""

    received: Annotated[int, Field(ge=0)]  # bytes stored so far: the next upload's offset
    size: Annotated[int, Field(ge=0)]  # the record's size
    complete: bool  # every byte there and its sha256 the record's: others may download it

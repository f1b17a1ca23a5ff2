"""The file endpoints (docs/sync-protocol.md, Files): an attachment's bytes up and down, streamed.

An upload request carries at most ``UPLOAD_CHUNK_BYTES`` (the body limit of these paths,
body_limit.py), so a request holds at most that much; a download reads a few stored rows (1 MiB
each) at a time and sends them one by one. The rules are attachment_files.py's; here only HTTP.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.concurrency import run_in_threadpool

from dxdesk.server import attachment_files
from dxdesk.server.dependencies import (
    CurrentCaller,
    CurrentSettings,
    Database,
    Storage,
    check_protocol,
)
from dxdesk.server.head import HEAD_SCOPE_KEY
from dxdesk.server.problems import ProblemError, problem_responses
from dxdesk.wire.files import FILES_PATH, OCTET_STREAM, UploadState

files = APIRouter(prefix=FILES_PATH, dependencies=[Depends(check_protocol)])
# The paths body_limit.py gives UPLOAD_CHUNK_BYTES.
UPLOAD_PATH_PATTERN = re.escape(FILES_PATH) + r"/[^/]+/upload"

# Any text: a path that is no attachment's id (a hash, a guess) gets the same 404 as an id the
# caller may not read, never a 422 saying what an id looks like.
AttachmentId = Annotated[
    str, Path(description="The attachment record's id (a lowercase UUID; anything else: 404)")
]
_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _known_shape(attachment_id: str) -> str:
    if _ID.fullmatch(attachment_id) is None:
        raise attachment_files.not_found()
    return attachment_id


_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


@files.get(
    "/{attachment_id}/upload",
    summary="How much of an attachment's bytes the server has",
    responses=problem_responses(400, 401, 403, 404),
)
def upload_state(
    attachment_id: AttachmentId,
    caller: CurrentCaller,
    database: Database,
    storage: Storage,
    settings: CurrentSettings,
) -> UploadState:
    attachment_id = _known_shape(attachment_id)
    return attachment_files.upload_state(database, storage, settings, caller, attachment_id)


_BINARY: dict[str, Any] = {OCTET_STREAM: {"schema": {"type": "string", "format": "binary"}}}
_BINARY_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": _BINARY}}


@files.put(
    "/{attachment_id}/upload",
    summary="The next bytes of an attachment, from offset",
    description=(
        "Raw bytes, at most 8 MiB a request, from `offset` = what the server has (else 409 "
        "upload-offset with `received`). The last one completes the file once its sha256 is "
        "the record's (else 422 hash-mismatch; what was staged is dropped)."
    ),
    responses=problem_responses(400, 401, 403, 404, 409, 413),
    openapi_extra=_BINARY_BODY,
)
async def upload(
    attachment_id: AttachmentId,
    offset: Annotated[int, Query(ge=0, le=2**62, description="Where these bytes begin")],
    request: Request,
    caller: CurrentCaller,
    database: Database,
    storage: Storage,
    settings: CurrentSettings,
) -> UploadState:
    attachment_id = _known_shape(attachment_id)
    data = await request.body()  # at most UPLOAD_CHUNK_BYTES (body_limit.py)
    return await run_in_threadpool(
        attachment_files.upload, database, storage, settings, caller, attachment_id, offset, data
    )


@files.get(
    "/{attachment_id}",
    summary="An attachment's bytes, streamed",
    description="`Range: bytes=N-` resumes from byte N (206 with Content-Range).",
    response_class=StreamingResponse,
    responses={
        200: {"description": "The bytes", "content": _BINARY},
        206: {"description": "The bytes from the range's start", "content": _BINARY},
        **problem_responses(400, 401, 403, 404, 416),
    },
)
def download(
    attachment_id: AttachmentId,
    request: Request,
    caller: CurrentCaller,
    database: Database,
    storage: Storage,
) -> Response:
    attachment_id = _known_shape(attachment_id)
    stored = attachment_files.opened(database, storage, caller, attachment_id)
    size = stored.size
    etag = f'"{stored.sha256}"'
    headers = {
        "ETag": etag,
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, no-store",
        "Content-Disposition": "attachment",
    }
    wanted = _range(request, etag, size)
    status = 200
    start, end = 0, size
    if wanted is not None:
        start, end = wanted
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    headers["Content-Length"] = str(end - start)
    if request.scope.get(HEAD_SCOPE_KEY):
        return Response(status_code=status, media_type=OCTET_STREAM, headers=headers)
    return StreamingResponse(
        attachment_files.download(storage, attachment_id, start, end),
        status_code=status,
        media_type=OCTET_STREAM,
        headers=headers,
    )


def _range(request: Request, etag: str, size: int) -> tuple[int, int] | None:
    """The one range asked for, as (start, end exclusive); None for the whole file.

    A Range that cannot be read, or several ranges, or an If-Range naming other bytes, is
    ignored (RFC 9110 §14.2): the whole file. A range past the end is 416.
    """
    header = request.headers.get("range")
    if header is None:
        return None
    if_range = request.headers.get("if-range")
    if if_range is not None and if_range != etag:
        return None
    match = _RANGE.fullmatch(header.strip())
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.group(1), match.group(2)
    if first == "":  # the last N bytes
        start, end = max(size - int(last), 0), size
    else:
        start = int(first)
        end = size if last == "" else min(int(last) + 1, size)
        if last != "" and int(last) < start:
            return None
    if start >= size:
        raise ProblemError(
            416,
            "range-not-satisfiable",
            "Range not satisfiable",
            f"ファイルは {size} バイトです。その位置からは読めません",
            headers={"Content-Range": f"bytes */{size}"},
            size=size,
        )
    return start, end

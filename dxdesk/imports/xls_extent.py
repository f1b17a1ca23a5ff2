"""How much an .xls asks calamine to build, read from its BIFF records before calamine opens it.

calamine parses every sheet of an .xls when the workbook is opened, each into one dense grid
from its first to its last cell, and first reserves room for the cells its DIMENSIONS record
claims. Two cells at A1 and IV65536 make a 16.7 M-cell grid (about 1 GB at its peak); a cell at
column 65535 of row 65535, or a DIMENSIONS record whose last row comes before its first, asks
Rust for more memory than exists, and a failed allocation aborts the whole app. So the Workbook
stream is walked here first, with olefile, and the file is refused when a sheet would pass
``MAX_CELLS``, when the sheets together would pass ``MAX_BOOK_CELLS``, or when a sheet has more
than ``MAX_MERGED`` merged ranges.

The walk follows calamine (xls.rs): the globals substream up to its first EOF (a FILEPASS there
means the rest is encrypted: refused as protected), then each BOUNDSHEET's substream from the
offset the record names up to its own EOF. A sheet's extent is the larger of what its DIMENSIONS
record claims and where its cell records lie (DIMENSIONS can lie either way); the cell records
are every one that places a value or a formula (calamine's grid and its formula grid) and the
blank ones (Excel's DIMENSIONS counts them too, so a real file loses nothing by it). Records in
an embedded chart's nested substream are counted as well, whichever calamine release skips
them. CONTINUE records carry no cell and are stepped over like any other. Each byte of the
stream is read at most once: sheets whose substreams overlap are refused as broken, as are
records that run past the stream's end. The walk is linear in the file, which is at most 20 MB.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

import olefile

from dxdesk.imports.calamine_sheets import MAX_CELLS, GridTooBig
from dxdesk.imports.merged_cells import TooManyMerged, too_many

# All sheets' grids together: a 20 MB .xls holds at most ~3 M real cells (MULRK, 6 bytes a
# cell), so only far-apart cells reach this.
MAX_BOOK_CELLS = 2 * MAX_CELLS
_STREAMS = ("Workbook", "Book")  # BIFF8 and BIFF5 (olefile matches names in any case)
_BOF, _EOF, _FILEPASS, _BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0085
_DIMENSIONS, _MERGEDCELLS, _MULRK, _MULBLANK = 0x0200, 0x00E5, 0x00BD, 0x00BE
# NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA, BLANK: row then column first.
_CELLS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006, 0x0201})
_HEADER = struct.Struct("<HH")
_CELL_HEADER = struct.Struct("<HHHH")
_U32 = struct.Struct("<I")
_DIMS_8 = struct.Struct("<IIHH")  # BIFF8: first row, last row + 1, first col, last col + 1
_DIMS_5 = struct.Struct("<HHHH")  # BIFF5


class XlsProtected(Exception):
    """The workbook is encrypted (a FILEPASS record): set a password in Excel."""


class XlsBroken(Exception):
    """The compound file or its BIFF records cannot be walked; the reason is the message."""


@dataclass(frozen=True)
class SheetExtent:
    offset: int  # of the sheet's BOF in the Workbook stream
    cells: int  # of the grid calamine builds for it, counted from A1
    merged: int  # ranges in its MERGEDCELLS records


def check_xls(data: bytes) -> list[SheetExtent]:
    """Each sheet's extent, after refusing what calamine must not be given: GridTooBig,
    TooManyMerged, XlsProtected or XlsBroken."""
    sheets = xls_extents(workbook_stream(data))
    for sheet in sheets:
        if sheet.cells > MAX_CELLS:
            raise GridTooBig
        if too_many(sheet.merged):
            raise TooManyMerged
    if sum(sheet.cells for sheet in sheets) > MAX_BOOK_CELLS:
        raise GridTooBig
    return sheets


def workbook_stream(data: bytes) -> bytes:
    """The BIFF stream of an OLE compound file, its size checked against the file's first."""
    _check_header(data)
    try:
        with olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT) as ole:
            name = next((n for n in _STREAMS if ole.exists(n)), None)
            if name is None:
                raise XlsBroken("no Workbook stream")
            if ole.get_size(name) > len(data):  # its sector chain would loop
                raise XlsBroken("Workbook stream larger than the file")
            return bytes(ole.openstream(name).read())
    except XlsBroken:
        raise
    except Exception as exc:  # olefile raises OSError, OleFileError, struct.error, IndexError…
        raise XlsBroken(f"compound file: {exc}") from None


def _check_header(data: bytes) -> None:
    """olefile reads as many FAT and DIFAT sectors as the header says, with no bound: a header
    claiming four billion of them in a small file would have it read for hours."""
    if len(data) < 512:
        raise XlsBroken("shorter than a compound file header")
    shift = int.from_bytes(data[0x1E:0x20], "little")
    if shift not in (9, 12):
        raise XlsBroken("sector size")
    sectors = len(data) >> shift
    fat_sectors = _U32.unpack_from(data, 0x2C)[0]
    difat_sectors = _U32.unpack_from(data, 0x48)[0]
    if fat_sectors > sectors or difat_sectors > sectors:
        raise XlsBroken("more FAT sectors than the file has")


def xls_extents(stream: bytes) -> list[SheetExtent]:
    """Every BOUNDSHEET's substream measured as calamine reads it."""
    offsets = _globals(stream)
    starts = sorted(set(offsets))
    if len(starts) != len(offsets):
        raise XlsBroken("two sheets at one offset")
    # each sheet's substream must end before the next one begins: one more for the last
    limit = dict(zip(starts, [*starts[1:], len(stream)], strict=False))
    return [_sheet(stream, offset, limit[offset]) for offset in offsets]


def _globals(stream: bytes) -> list[int]:
    """The sheets' offsets, in the globals substream (which ends at its first EOF)."""
    offsets = []
    for typ, body, length in _records(stream, 0, len(stream)):
        if typ == _FILEPASS:
            raise XlsProtected
        if typ == _BOUNDSHEET:
            if length < 6:
                raise XlsBroken("BOUNDSHEET record too short")
            offset = _U32.unpack_from(stream, body)[0]
            if offset >= len(stream):
                raise XlsBroken("sheet offset past the stream")
            offsets.append(offset)
        elif typ == _EOF:
            break
    return offsets


def _sheet(stream: bytes, offset: int, limit: int) -> SheetExtent:
    """One sheet's substream, from its BOF to its EOF (nested substreams' records included),
    which must end by ``limit``, where the next sheet begins. One loop with the cell records
    first: a 2,000 x 100 sheet is a hundred thousand of them."""
    claimed = merged = depth = 0
    last_row = last_col = -1
    seen_bof = False
    unpack = _CELL_HEADER.unpack_from
    pos = offset
    while True:
        if pos + 8 <= limit:  # type, length, and a cell record's row and column at once
            typ, length, row, col = unpack(stream, pos)
        elif pos + 4 <= limit:
            (typ, length), row, col = _HEADER.unpack_from(stream, pos), 0, 0
        else:  # calamine would read on into the next sheets, once for every sheet without one
            raise XlsBroken("sheet substream cut short or without its EOF")
        body = pos + 4
        pos = body + length
        if pos > limit:
            raise XlsBroken("record cut short")
        if typ in _CELLS:
            if length < 6:
                raise XlsBroken("cell record too short")
            if row > last_row:
                last_row = row
            if col > last_col:
                last_col = col
        elif typ in (_MULRK, _MULBLANK):  # row, first column, …, last column
            if length < 6:
                raise XlsBroken("cell record too short")
            listed = (length - 6) // (6 if typ == _MULRK else 2)
            col = max(col, _HEADER.unpack_from(stream, pos - 4)[1], col + listed - 1)
            last_row, last_col = max(last_row, row), max(last_col, col)
        elif typ == _DIMENSIONS:
            claimed = max(claimed, _dimensions(stream[body:pos]))
        elif typ == _MERGEDCELLS:
            if length < 2:
                raise XlsBroken("MERGEDCELLS record too short")
            count = int.from_bytes(stream[body : body + 2], "little")
            if 2 + 8 * count > length:
                raise XlsBroken("MERGEDCELLS record shorter than its count")
            merged += count
        elif typ == _BOF:
            depth += 1 if seen_bof else 0
            seen_bof = True
        elif typ == _EOF:
            if depth == 0:
                break
            depth -= 1
    cells = (last_row + 1) * (last_col + 1) if last_row >= 0 else 0
    return SheetExtent(offset, max(cells, claimed), merged)


def _dimensions(body: bytes) -> int:
    """The cells calamine reserves for a DIMENSIONS record, computed as its u32 arithmetic
    does (a last row before the first wraps round to four billion)."""
    fields: tuple[int, int, int, int]
    if len(body) == 14:
        fields = _DIMS_8.unpack_from(body)
    elif len(body) == 10:
        fields = _DIMS_5.unpack_from(body)
    else:
        raise XlsBroken("DIMENSIONS record of an unknown length")
    first_row, end_row, first_col, end_col = fields
    if first_col > 0xFF or end_col < first_col:
        first_col = 0
    if end_row < 1 or end_col < 1:
        return 1
    rows = (end_row - 1 - first_row + 1) % 2**32  # calamine: (last) - (first) + 1, in u32
    cols = (end_col - 1 - first_col + 1) % 2**32
    return rows * cols


def _records(stream: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(type, body offset, length) of each record from ``start`` up to ``end``; a record that
    runs past ``end`` (the stream's end, or the next sheet's start) is a broken stream."""
    pos = start
    unpack = _HEADER.unpack_from
    while pos < end:
        if pos + 4 > end:
            raise XlsBroken("record header cut short")
        typ, length = unpack(stream, pos)
        body = pos + 4
        pos = body + length
        if pos > end:
            raise XlsBroken("record cut short")
        yield typ, body, length

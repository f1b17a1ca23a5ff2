"""An .xls is measured from its BIFF records before calamine builds anything from it.

Each file is written by xlwt (a real BIFF8 compound file); the hostile ones are then edited
record by record, as a crafted file would be: a DIMENSIONS record that claims one cell while the
cells lie far apart, a column past BIFF8's last, a DIMENSIONS record whose last row comes before
its first (calamine's arithmetic wraps it to four billion rows: the app aborted), a cut stream.
The refusals that would be costly or fatal if they regressed are checked on ``check_xls`` alone,
never through calamine.
"""

from __future__ import annotations

import io
import random
import struct
from pathlib import Path

import pytest
import xlwt

from dxdesk.imports.calamine_sheets import MAX_CELLS, GridTooBig
from dxdesk.imports.merged_cells import MAX_MERGED, TooManyMerged
from dxdesk.imports.workbook import (
    GRID_TOO_BIG,
    PROTECTED,
    TOO_MANY_MERGED,
    SurveyFileError,
    read_workbook,
)
from dxdesk.imports.xls_extent import (
    MAX_BOOK_CELLS,
    SheetExtent,
    XlsBroken,
    XlsProtected,
    check_xls,
    workbook_stream,
    xls_extents,
)

DIMENSIONS, RK, MERGEDCELLS, FILEPASS, BOUNDSHEET, EOF = 0x0200, 0x027E, 0x00E5, 0x2F, 0x85, 0x0A


def xls_bytes(*sheets: dict[tuple[int, int], object], merges: int = 0) -> bytes:
    book = xlwt.Workbook(encoding="utf-8")
    for number, cells in enumerate(sheets, start=1):
        sheet = book.add_sheet(f"シート{number}")
        for (row, col), value in cells.items():
            sheet.write(row, col, value)
        for i in range(merges if number == 1 else 0):
            sheet.write_merge(2 * i + 20, 2 * i + 20, 0, 1, i)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def records(stream: bytes | bytearray) -> list[tuple[int, int, int]]:
    """(type, header offset, length) of every record, walked from the stream's start."""
    found, pos = [], 0
    while pos + 4 <= len(stream):
        typ, length = struct.unpack_from("<HH", stream, pos)
        found.append((typ, pos, length))
        pos += 4 + length
    return found


def first(stream: bytes | bytearray, typ: int) -> int:
    """The header offset of the first record of ``typ``."""
    return next(pos for t, pos, _ in records(stream) if t == typ)


def in_file(data: bytes, old: bytes | bytearray, new: bytes | bytearray) -> bytes:
    """``data`` with one stream record replaced (xlwt writes the stream in one piece)."""
    assert data.count(old) == 1 and len(old) == len(new)
    return data.replace(old, new)


FAR = {(0, 0): "市町村名", (64_999, 255): 1}  # A1 and IV65000: 16.6 M cells from A1


@pytest.fixture(scope="module")
def far() -> bytes:
    return xls_bytes(FAR)


def test_a_sheet_measures_to_its_last_cell_from_a1_with_its_merged_ranges(
    tmp_path: Path,
) -> None:
    # the merges write A21:B21 and A23:B23, so the first sheet reaches row 23 and column D
    data = xls_bytes({(0, 0): "市町村名", (9, 3): 1.5}, {(2, 5): "x"}, merges=2)
    extents = check_xls(data)
    assert [(e.cells, e.merged) for e in extents] == [(23 * 4, 2), (3 * 6, 0)]
    (tmp_path / "相談.xls").write_bytes(data)
    book = read_workbook(tmp_path / "相談.xls")  # and calamine reads it as before
    assert [(len(s.rows), len(s.rows[0]), len(s.merged)) for s in book.sheets] == [
        (23, 4, 2),
        (3, 6, 0),
    ]


def test_cells_far_apart_are_refused_before_calamine(far: bytes) -> None:
    assert xls_extents(workbook_stream(far))[0].cells == 65_000 * 256
    with pytest.raises(GridTooBig):
        check_xls(far)


def test_a_dimensions_record_claiming_one_cell_does_not_hide_far_cells(far: bytes) -> None:
    stream = bytearray(workbook_stream(far))
    at = first(stream, DIMENSIONS) + 4
    stream[at : at + 12] = struct.pack("<IIHH", 0, 1, 0, 1)
    assert xls_extents(bytes(stream))[0].cells == 65_000 * 256


def test_a_dimensions_record_claiming_a_huge_grid_is_refused(tmp_path: Path) -> None:
    # calamine reserves room for what DIMENSIONS claims before it reads a cell
    data = xls_bytes({(0, 0): "市町村名", (1, 1): 1})
    stream = workbook_stream(data)
    at = first(stream, DIMENSIONS)
    old = stream[at : at + 18]
    new = old[:4] + struct.pack("<IIHH", 0, 65_536, 0, 256) + old[16:]
    (tmp_path / "広い.xls").write_bytes(in_file(data, old, new))
    with pytest.raises(SurveyFileError) as caught:
        read_workbook(tmp_path / "広い.xls")
    assert str(caught.value) == GRID_TOO_BIG


def test_a_dimensions_record_whose_last_row_comes_first_is_refused() -> None:
    # (last row + 1) - first row goes below zero: calamine's u32 wraps it, and the allocation
    # of the wrapped size aborted the app
    stream = bytearray(workbook_stream(xls_bytes({(0, 0): "a"})))
    at = first(stream, DIMENSIONS) + 4
    stream[at : at + 8] = struct.pack("<II", 10, 5)
    assert xls_extents(bytes(stream))[0].cells == (5 - 10) % 2**32 * 1  # one column


def test_a_column_past_biff8s_last_is_counted(far: bytes) -> None:
    # calamine takes a cell's column as written: 65,535 made a 4.3 G-cell grid (an abort)
    stream = bytearray(workbook_stream(far))
    far_cell = next(pos for t, pos, _ in records(stream) if t == RK and stream[pos + 4] == 0xE7)
    stream[far_cell + 6 : far_cell + 8] = b"\xff\xff"
    assert xls_extents(bytes(stream))[0].cells == 65_000 * 65_536


def test_the_sheets_together_are_bounded() -> None:
    each = {(0, 0): "a", (10_999, 255): 1}  # 2.8 M cells: each sheet alone would be read
    data = xls_bytes(each, each, each)
    extents = xls_extents(workbook_stream(data))
    assert all(e.cells <= MAX_CELLS for e in extents)
    assert sum(e.cells for e in extents) > MAX_BOOK_CELLS
    with pytest.raises(GridTooBig):
        check_xls(data)


def test_more_merged_ranges_than_allowed_are_refused_before_calamine(tmp_path: Path) -> None:
    data = xls_bytes({(0, 0): "a"}, merges=MAX_MERGED + 1)
    assert xls_extents(workbook_stream(data))[0].merged == MAX_MERGED + 1
    with pytest.raises(TooManyMerged):
        check_xls(data)
    (tmp_path / "結合.xls").write_bytes(data)
    with pytest.raises(SurveyFileError) as caught:
        read_workbook(tmp_path / "結合.xls")
    assert str(caught.value) == TOO_MANY_MERGED


def test_a_mergedcells_record_shorter_than_its_count_is_broken() -> None:
    stream = bytearray(workbook_stream(xls_bytes({(0, 0): "a"}, merges=1)))
    at = first(stream, MERGEDCELLS) + 4
    stream[at : at + 2] = struct.pack("<H", 2)
    with pytest.raises(XlsBroken):
        xls_extents(bytes(stream))


def test_an_encrypted_xls_is_refused_as_protected(tmp_path: Path) -> None:
    data = xls_bytes({(0, 0): "a"})
    stream = workbook_stream(data)
    at = records(stream)[1][1]  # the record after BOF becomes FILEPASS, as Excel writes it
    old = stream[: at + 4]
    locked = in_file(data, old, old[:at] + struct.pack("<H", FILEPASS) + old[at + 2 :])
    with pytest.raises(XlsProtected):
        check_xls(locked)
    (tmp_path / "鍵.xls").write_bytes(locked)
    with pytest.raises(SurveyFileError) as caught:
        read_workbook(tmp_path / "鍵.xls")
    assert str(caught.value) == PROTECTED.format(app="Excel")


@pytest.mark.parametrize("cut", [1, 3, 9])
def test_a_cut_stream_is_broken(far: bytes, cut: int) -> None:
    stream = workbook_stream(far)
    last_eof = max(pos for t, pos, _ in records(stream) if t == EOF)
    with pytest.raises(XlsBroken):
        xls_extents(stream[: last_eof + 4 - cut])


def test_a_record_running_past_the_stream_is_refused_as_broken(tmp_path: Path) -> None:
    data = xls_bytes({(0, 0): "a", (3, 3): 2})
    stream = workbook_stream(data)
    at = first(stream, DIMENSIONS)
    old = stream[at : at + 18]
    (tmp_path / "壊れ.xls").write_bytes(in_file(data, old, old[:2] + b"\xf0\xff" + old[4:]))
    with pytest.raises(SurveyFileError) as caught:
        read_workbook(tmp_path / "壊れ.xls")
    assert str(caught.value).startswith("ファイルを読めません（壊れているか")


def test_sheets_sharing_a_substream_or_missing_their_eof_are_broken() -> None:
    stream = bytearray(workbook_stream(xls_bytes({(0, 0): "a"}, {(0, 0): "b"})))
    sheets = [pos for t, pos, _ in records(stream) if t == BOUNDSHEET]
    shared = bytearray(stream)
    shared[sheets[1] + 4 : sheets[1] + 8] = shared[sheets[0] + 4 : sheets[0] + 8]
    with pytest.raises(XlsBroken):
        xls_extents(bytes(shared))
    first_sheet = struct.unpack_from("<I", stream, sheets[0] + 4)[0]
    eof = next(p for t, p, _ in records(stream) if t == EOF and p > first_sheet)
    no_eof = bytearray(stream)
    no_eof[eof : eof + 2] = struct.pack("<H", 0x0208)  # a ROW record in its place
    with pytest.raises(XlsBroken):
        xls_extents(bytes(no_eof))


def test_a_compound_file_without_a_workbook_stream_is_broken() -> None:
    data = xls_bytes({(0, 0): "a"})
    renamed = in_file(data, "Workbook".encode("utf-16-le"), "Xorkbook".encode("utf-16-le"))
    with pytest.raises(XlsBroken):
        workbook_stream(renamed)


def test_a_header_claiming_billions_of_fat_sectors_is_broken_at_once() -> None:
    data = bytearray(xls_bytes({(0, 0): "a"}))
    data[0x2C:0x30] = struct.pack("<I", 0xFFFF_FFF0)
    with pytest.raises(XlsBroken):
        workbook_stream(bytes(data))


def test_any_damage_is_a_refusal_and_never_another_exception(far: bytes) -> None:
    rng = random.Random(22)
    outcomes = set()
    for _ in range(300):
        damaged = bytearray(far)
        for _ in range(rng.randint(1, 4)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        try:
            extents = check_xls(bytes(damaged))
            outcomes.add("read" if all(isinstance(e, SheetExtent) for e in extents) else "?")
        except (GridTooBig, TooManyMerged, XlsProtected, XlsBroken) as exc:
            outcomes.add(type(exc).__name__)
    assert "?" not in outcomes and "XlsBroken" in outcomes

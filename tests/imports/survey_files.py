"""Survey answer files as municipalities and form tools really send them, for importer tests.

Every generator writes one file under ``directory`` (created if missing; the file name is fixed
per generator, so a second call overwrites) and returns its path, plus what a test needs to
state the expected result: the ``Answers`` it was given stand for the expected scores, and the
hostile generators also return the rows or cells that should be refused. Everything is
deterministic: random choices come from seeded ``random.Random`` instances and every variant
(header spellings, code spellings, count texts) is fixed by the row and column position.

Layouts:

* ``ms_forms_xlsx``: Microsoft Forms "Excel で開く" export (labels without the digit).
* ``google_forms_xlsx``: Google Forms response sheet downloaded as xlsx ("3 推進している").
* ``plain_sheet_xlsx``: a sheet made by hand (title, note, header further down, blank rows,
  item codes spelled many ways, counts for the prefecture items).
* ``csv_file``: the template as CSV (UTF-8, UTF-8 with BOM or cp932).
* the "template" layout shared by the hostile xlsx files: ``市町村コード``, ``市町村名``, then
  one ``"<code> <question>"`` column per item, answers as int scores, data from row 2.

A missing score in ``Answers`` (an item left out for a municipality) is written as an empty
cell everywhere.
"""

from __future__ import annotations

import base64
import csv
import io
import random
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Literal

import openpyxl
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dxdesk.domain.catalog import Catalog, Item, load_catalog
from dxdesk.domain.municipality_codes import check_digit
from dxdesk.domain.roster import PREFECTURE_NAME, Municipality, load_roster
from dxdesk.domain.survey_definition import QUESTION_TYPES, Question, SurveyDefinition
from tests.imports.whole_survey_files import forms_export_xlsx

CellValue = str | int | datetime | None

PASSWORD = "secret"  # the password of ``password_protected``
HUGE_SIZE = 21 * 1024 * 1024  # > 20 MiB, so > 20 MB too
CLAIMED_DIMENSION = "A1:AB200000"  # 2 municipality columns + 26 items = AB

TEMPLATE_CODE_HEADER = "市町村コード"
TEMPLATE_NAME_HEADER = "市町村名"

# Microsoft Forms: the header of each item column is its question text, except these, which
# are spelled as a form author typed them. Each equals the catalog question after
# dxdesk.domain.text.normalize_digits (NFKC, then strip).
MS_FORMS_HEADER_VARIANTS: dict[str, str] = {
    # catalog has half-width parentheses; the form has full-width ones
    "2-1": "DX推進の責任者（例：CDO等）を配置していますか？",
    # trailing ASCII space, as Forms keeps it
    "3-4": "AI（生成AIを含む）を活用していますか？ ",
    # full-width letters
    "3-12": "ＢＰＲを推進していますか？",
    # trailing full-width space
    "D6": "IT系資格取得支援制度の有無\u3000",
}
MS_FORMS_META_HEADERS = ("ID", "開始時刻", "完了時刻", "メール", "名前", "最終変更時刻")
MS_FORMS_MUNICIPALITY_HEADER = "市町村名"
# Two questions that are not assessment items; the importer must ignore them.
EXTRA_QUESTIONS = ("ご意見・ご要望", "ご回答いただいた方の所属部署")

GOOGLE_FORMS_SHEET = "フォームの回答 1"
GOOGLE_FORMS_META_HEADERS = ("タイムスタンプ", "メールアドレス", "団体名")

# The hand-made sheet names each item column by its code only, spelled like this. All of
# them give the item code after NFKC, dropping a leading "問"/"Q" and spaces, and upper-casing.
PLAIN_ITEM_HEADERS: dict[str, str] = {
    "0-1": "問 0-1",
    "0-3": "0-3",
    "1-1": "１－１",  # full-width digits and U+FF0D FULLWIDTH HYPHEN-MINUS
    "2-1": "Q2-1",
    "2-3": "2-3",
    "3-1": "3-1 ",  # trailing space; must not be taken for 3-11, 3-12 or 3-13
    "3-2": "問3-2",
    "3-3": "3-3",
    "3-4": "Q3-4",
    "3-5": "Q3-5",
    "3-6": "３－６",
    "3-7": "3-7",
    "3-9": "3-9",
    "3-11": "3-11",
    "3-12": "３－１２",
    "3-13": "3-13",
    "5-1": "5-1",
    "5-7": "問　5-7",  # full-width space
    "D1": "Ｄ１",
    "D2": "D2",
    "D3": "d3",
    "D4": "D4",
    "D5": "Ｄ５",
    "D6": "D6",
    "D7": "ｄ７",
    "D8": "Ｄ８",
}
PLAIN_TITLE = "令和7年度 DX推進状況調査 集計"
PLAIN_NOTE = "※ 回答欄は 3・2・1・0 で記入。D1〜D8 は実績の件数（または 有・無）を記入。"
PLAIN_CODE_HEADER = "コード"
PLAIN_NAME_HEADER = "市町村"
# Prefecture-scale items (D1..D8) are written as counts or 有/無; the expected score is
# 3 for a count >= 1 or 有, 0 for a count of 0 or 無. Picked by (row index + item index) % 4.
PLAIN_COUNT_TEXTS: dict[int, tuple[CellValue, ...]] = {
    3: ("2件", 1, "有", "３件"),
    0: ("0", 0, "無", "0件"),
}

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass(frozen=True)
class Answers:
    """What a file holds, per municipality code: item code -> score."""

    scores: dict[str, dict[str, int]]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(self.scores)


@dataclass(frozen=True)
class FormulaCell:
    """An answer cell holding a formula with no cached result."""

    row: int  # 1-based sheet row
    column: str  # column letter
    municipality: str  # roster code of the row
    item: str  # item code of the column
    formula: str  # as written, e.g. "=1+2"
    value: int  # what the formula would compute: the score in ``Answers``


@dataclass(frozen=True)
class DuplicateRows:
    """One municipality answered twice, on two rows with different scores."""

    municipality: str
    rows: tuple[int, int]  # 1-based sheet rows, first then second
    first: dict[str, int]  # the scores on the first row (those in ``Answers``)
    second: dict[str, int]  # the scores on the second row (every item differs)


@dataclass(frozen=True)
class CellProblem:
    """A cell the importer must refuse, as ``bad_answers`` wrote it."""

    row: int  # 1-based sheet row
    column: str  # column letter
    header: str  # header text of that column
    value: CellValue  # the cell's value as written
    municipality: str | None  # roster code of the row; None where the row names none
    item: str | None  # item code; None for a problem with the municipality cell


# --- shared helpers ---------------------------------------------------------------------------


@cache
def _catalog() -> Catalog:
    return load_catalog()


@cache
def _roster() -> dict[str, Municipality]:
    return {m.code: m for m in load_roster()}


def _municipality(code: str) -> Municipality:
    try:
        return _roster()[code]
    except KeyError:
        raise KeyError(f"{code} is not in the bundled roster") from None


def _items() -> tuple[Item, ...]:
    return _catalog().items


def _label(item: Item, score: int | None, *, with_digit: bool) -> str | None:
    if score is None:
        return None
    label = item.scale.label_for(score)
    return f"{score} {label}" if with_digit else label


def _prepare(directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    return directory / name


def _save(workbook: openpyxl.Workbook, path: Path) -> Path:
    workbook.save(path)
    return path


def _to_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sample_answers() -> Answers:
    """The content of the broken files: three municipalities, seed 0."""
    return answers_for([m.code for m in load_roster()[:3]], seed=0)


def _template_header() -> list[CellValue]:
    return [
        TEMPLATE_CODE_HEADER,
        TEMPLATE_NAME_HEADER,
        *(f"{item.code} {item.question}" for item in _items()),
    ]


def _template_row(code: str, scores: dict[str, int]) -> list[CellValue]:
    return [code, _municipality(code).name, *(scores.get(item.code) for item in _items())]


def _template_workbook(answers: Answers) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "回答"
    sheet.append(_template_header())
    for code, scores in answers.scores.items():
        sheet.append(_template_row(code, scores))
    return workbook


def _template_column(item_code: str) -> str:
    """Column letter of an item in the template layout (A, B are the municipality)."""
    return _column_letter(3 + _catalog().codes.index(item_code))


def _column_letter(index: int) -> str:
    """get_column_letter, typed (openpyxl ships no type information)."""
    letter: str = get_column_letter(index)
    return letter


def _rewrite_zip(
    data: bytes,
    transform: Callable[[str, bytes], bytes] = lambda _name, body: body,
    *,
    compression: int | None = None,
) -> bytes:
    """Copy a zip member by member, in order, passing each through ``transform``."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w") as target,
    ):
        for info in source.infolist():
            body = transform(info.filename, source.read(info))
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = info.compress_type if compression is None else compression
            target.writestr(copy, body)
    return out.getvalue()


def _with_doctype(sheet_xml: str, doctype: str, find: str, replace: str) -> str:
    """Put a DOCTYPE before the root element and an entity reference into one cell."""
    if find not in sheet_xml:
        raise ValueError(f"{find!r} is not in the sheet XML")
    sheet_xml = sheet_xml.replace(find, replace, 1)
    root = sheet_xml.index("<worksheet")
    return sheet_xml[:root] + doctype + sheet_xml[root:]


def _sheet_member_rewriter(transform: Callable[[str], str]) -> Callable[[str, bytes], bytes]:
    def rewrite(name: str, body: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return body
        return transform(body.decode("utf-8")).encode("utf-8")

    return rewrite


# --- answers ----------------------------------------------------------------------------------


def answers_for(codes: Sequence[str], seed: int = 0) -> Answers:
    """Random valid scores for all 26 items of each municipality, in the order given."""
    rng = random.Random(seed)
    scores: dict[str, dict[str, int]] = {}
    for code in codes:
        scores[code] = {item.code: rng.choice(sorted(item.scale.values)) for item in _items()}
    return Answers(scores)


# --- realistic exports ------------------------------------------------------------------------


def ms_forms_municipality_text(index: int, code: str) -> str:
    """The 市町村名 answer on the index-th response: every third (1, 4, 7, …) has 和歌山県."""
    name = _municipality(code).name
    return PREFECTURE_NAME + name if index % 3 == 1 else name


def ms_forms_header(item: Item) -> str:
    return MS_FORMS_HEADER_VARIANTS.get(item.code, item.question)


def ms_forms_xlsx(
    directory: Path, answers: Answers, *, fiscal_year_date: date = date(2025, 10, 20)
) -> Path:
    """A Microsoft Forms Excel export, "ms_forms.xlsx", one sheet "Sheet1".

    Columns: ID, 開始時刻, 完了時刻, メール, 名前, 最終変更時刻 (Forms' own), 市町村名, one
    column per item headed by its question (``MS_FORMS_HEADER_VARIANTS`` for four items),
    then ``EXTRA_QUESTIONS``. Answers are choice labels without the digit ("推進している").
    Response i (0-based) starts at 09:00 + 7·i minutes on ``fiscal_year_date`` and ends 5
    minutes later; its 市町村名 is ``ms_forms_municipality_text(i, code)``.
    """
    path = _prepare(directory, "ms_forms.xlsx")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Sheet1"
    sheet.append(
        [
            *MS_FORMS_META_HEADERS,
            MS_FORMS_MUNICIPALITY_HEADER,
            *(ms_forms_header(item) for item in _items()),
            *EXTRA_QUESTIONS,
        ]
    )
    start_of_day = datetime.combine(fiscal_year_date, time(9, 0))
    for index, (code, scores) in enumerate(answers.scores.items()):
        started = start_of_day + timedelta(minutes=7 * index)
        completed = started + timedelta(minutes=5, seconds=13)
        sheet.append(
            [
                index + 1,
                started,
                completed,
                "anonymous",
                None,
                completed,
                ms_forms_municipality_text(index, code),
                *(_label(item, scores.get(item.code), with_digit=False) for item in _items()),
                "特になし" if index % 2 == 0 else None,
                "総務課 情報政策係",
            ]
        )
    return _save(workbook, path)


def google_forms_name(code: str) -> str:
    """団体名 as a Google Forms respondent types it: with the 郡 for towns ("海草郡紀美野町")."""
    m = _municipality(code)
    return (m.gun or "") + m.name


def google_forms_xlsx(directory: Path, answers: Answers) -> Path:
    """A Google Forms response sheet downloaded as xlsx, "google_forms.xlsx".

    Sheet "フォームの回答 1"; columns タイムスタンプ (datetime), メールアドレス, 団体名
    (``google_forms_name``), then one column per item headed "<code> <question>" (e.g.
    "3-12 BPRを推進していますか？"); answers are "<digit> <label>" ("3 推進している").
    """
    path = _prepare(directory, "google_forms.xlsx")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = GOOGLE_FORMS_SHEET
    sheet.append(
        [*GOOGLE_FORMS_META_HEADERS, *(f"{item.code} {item.question}" for item in _items())]
    )
    first = datetime(2025, 10, 20, 10, 30, 0)
    for index, (code, scores) in enumerate(answers.scores.items()):
        sheet.append(
            [
                first + timedelta(hours=index, seconds=17 * index),
                f"dx-{code}@example.lg.jp",
                google_forms_name(code),
                *(_label(item, scores.get(item.code), with_digit=True) for item in _items()),
            ]
        )
    return _save(workbook, path)


def plain_code_cell(index: int, code: str) -> CellValue:
    """The コード cell of the index-th data row of the hand-made sheet.

    index % 5: 1 -> text of 5 digits without the check digit ("30202"), 2 -> a number
    (302031), 3 -> text of full-width digits ("３０２０４０"), else the 6-digit text.
    """
    match index % 5:
        case 1:
            return code[:5]
        case 2:
            return int(code)
        case 3:
            return code.translate(FULL_WIDTH_DIGITS)
        case _:
            return code


def plain_score_cell(row_index: int, item_index: int, item: Item, score: int | None) -> CellValue:
    """An answer cell of the hand-made sheet.

    Prefecture-scale items: ``PLAIN_COUNT_TEXTS[score][(row_index + item_index) % 4]``.
    Others, by (row_index + item_index) % 6: 0 -> full-width text ("３"), 1 -> ASCII text
    ("2"), else an int.
    """
    if score is None:
        return None
    if item.scale.id == "prefecture":
        return PLAIN_COUNT_TEXTS[score][(row_index + item_index) % 4]
    match (row_index + item_index) % 6:
        case 0:
            return str(score).translate(FULL_WIDTH_DIGITS)
        case 1:
            return str(score)
        case _:
            return score


def plain_data_rows(count: int, *, header_row: int = 4) -> list[int]:
    """1-based sheet rows of the data rows: one blank row after every third data row."""
    rows: list[int] = []
    row = header_row + 1
    for index in range(count):
        rows.append(row)
        row += 2 if index % 3 == 2 else 1
    return rows


def plain_sheet_xlsx(directory: Path, answers: Answers, *, header_row: int = 4) -> Path:
    """A hand-made summary sheet, "plain_sheet.xlsx", one sheet "集計".

    Row 1: ``PLAIN_TITLE`` merged across A1:H1; row 2 blank; row 3 ``PLAIN_NOTE``; rows
    4..header_row-1 blank; header on ``header_row``: コード, 市町村, then the items headed
    by ``PLAIN_ITEM_HEADERS``. Data rows at ``plain_data_rows``; cells per
    ``plain_code_cell`` and ``plain_score_cell``.
    """
    if header_row < 4:
        raise ValueError("header_row must be 4 or more: rows 1 to 3 hold the title and note")
    path = _prepare(directory, "plain_sheet.xlsx")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "集計"
    sheet["A1"] = PLAIN_TITLE
    sheet.merge_cells("A1:H1")
    sheet["A3"] = PLAIN_NOTE
    header = [PLAIN_CODE_HEADER, PLAIN_NAME_HEADER, *(PLAIN_ITEM_HEADERS[i.code] for i in _items())]
    _write_row(sheet, header_row, header)
    rows = plain_data_rows(len(answers.scores), header_row=header_row)
    for index, ((code, scores), row) in enumerate(zip(answers.scores.items(), rows, strict=True)):
        cells = [
            plain_code_cell(index, code),
            _municipality(code).name,
            *(
                plain_score_cell(index, j, item, scores.get(item.code))
                for j, item in enumerate(_items())
            ),
        ]
        _write_row(sheet, row, cells)
    return _save(workbook, path)


def _write_row(sheet: Worksheet, row: int, values: Iterable[CellValue]) -> None:
    for column, value in enumerate(values, start=1):
        if value is not None:
            sheet.cell(row=row, column=column, value=value)


CsvEncoding = Literal["utf-8", "utf-8-sig", "cp932"]


def csv_file(directory: Path, answers: Answers, *, encoding: CsvEncoding) -> Path:
    """The template as CSV, "survey-<encoding>.csv", CRLF line ends.

    Header 市町村コード,市町村名, then "<code> <question>" per item; answers as digits.
    """
    path = _prepare(directory, f"survey-{encoding}.csv")
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(_template_header())
        for code, scores in answers.scores.items():
            writer.writerow(["" if v is None else v for v in _template_row(code, scores)])
    return path


# --- broken and hostile files -----------------------------------------------------------------


def _png_bytes() -> bytes:
    """A valid 1×1 grey PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1×1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\x80")  # filter byte, one pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def not_a_spreadsheet(directory: Path, *, kind: Literal["png", "text"] = "png") -> Path:
    """ "not_a_spreadsheet.xlsx" holding a PNG image or a line of UTF-8 text."""
    path = _prepare(directory, "not_a_spreadsheet.xlsx")
    if kind == "png":
        path.write_bytes(_png_bytes())
    else:
        path.write_text("これは Excel ファイルではありません。\n", encoding="utf-8")
    return path


def corrupt_zip(directory: Path) -> Path:
    """ "corrupt.xlsx": a real template xlsx cut off after half its bytes."""
    path = _prepare(directory, "corrupt.xlsx")
    data = _to_bytes(_template_workbook(_sample_answers()))
    path.write_bytes(data[: len(data) // 2])
    return path


def password_protected(directory: Path, *, answers: Answers | None = None) -> Path:
    """ "password_protected.xlsx": a template xlsx encrypted with ``PASSWORD`` (ECMA-376 agile).

    The result is an OLE compound file with EncryptionInfo and EncryptedPackage streams, as
    Excel writes it; decrypting it with ``PASSWORD`` gives back the template workbook.
    """
    # Imported here so that the other generators work without msoffcrypto-tool installed.
    from msoffcrypto.format.ooxml import OOXMLFile

    path = _prepare(directory, "password_protected.xlsx")
    plain = _to_bytes(_template_workbook(answers or _sample_answers()))
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt(PASSWORD, encrypted)
    path.write_bytes(encrypted.getvalue())
    return path


def old_xls(directory: Path, *, answers: Answers | None = None) -> Path:
    """ "old.xls": the template layout as a real BIFF8 workbook (Excel 97-2003), via xlwt."""
    import xlwt  # only this generator needs it

    path = _prepare(directory, "old.xls")
    answers = answers or _sample_answers()
    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("回答")
    rows = [_template_header()] + [_template_row(c, s) for c, s in answers.scores.items()]
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value is not None:
                sheet.write(r, c, value)
    workbook.save(str(path))
    return path


FORMULAS_BY_SCORE = {0: "=1-1", 1: "=2-1", 2: "=1+1", 3: "=1+2"}
FORMULA_ITEMS = ("0-3", "3-5", "D2")  # data row i gets a formula in the column of item i


def formulas_without_cached_values(
    directory: Path, answers: Answers
) -> tuple[Path, list[FormulaCell]]:
    """ "formulas.xlsx": the template layout where some answers are formulas with no result.

    Data row i (0-based, i < 3; sheet row 2 + i) has a formula in the column of item
    ``FORMULA_ITEMS[i]``: ``FORMULAS_BY_SCORE[score]``, e.g. "=1+2" for 3. openpyxl writes
    ``<f>`` with an empty ``<v/>``, so no reader sees a value without calculating.
    """
    path = _prepare(directory, "formulas.xlsx")
    workbook = _template_workbook(answers)
    sheet = workbook.active
    cells: list[FormulaCell] = []
    for index, (code, item) in enumerate(zip(answers.codes, FORMULA_ITEMS, strict=False)):
        score = answers.scores[code].get(item)
        if score is None:
            continue
        row, column = 2 + index, _template_column(item)
        formula = FORMULAS_BY_SCORE[score]
        sheet[f"{column}{row}"] = formula
        cells.append(FormulaCell(row, column, code, item, formula, score))
    _save(workbook, path)
    return path, cells


def huge_file(directory: Path, *, size: int = HUGE_SIZE) -> Path:
    """ "huge.xlsx": a valid xlsx of more than ``size`` bytes, stored without compression.

    Sheet "回答" is the template with three municipalities; sheet "メモ" holds column A cells
    of 32,000 random base64 characters each, enough of them to pass ``size``.
    """
    path = _prepare(directory, "huge.xlsx")
    workbook = _template_workbook(_sample_answers())
    memo = workbook.create_sheet("メモ")
    rng = random.Random(0)
    cell_chars = 32_000  # under Excel's 32,767 characters per cell
    for _ in range(size // cell_chars + 1):
        memo.append([base64.b64encode(rng.randbytes(cell_chars * 3 // 4)).decode("ascii")])
    path.write_bytes(_rewrite_zip(_to_bytes(workbook), compression=zipfile.ZIP_STORED))
    return path


_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')


def claims_many_rows(directory: Path) -> Path:
    """ "many_rows.xlsx": a small template xlsx whose sheet claims ``CLAIMED_DIMENSION``.

    The sheet XML's ``<dimension>`` becomes ``<dimension ref="A1:AB200000"/>``; the sheet
    really has a header and three data rows.
    """
    path = _prepare(directory, "many_rows.xlsx")

    def claim(xml: str) -> str:
        xml, count = _DIMENSION.subn(f'<dimension ref="{CLAIMED_DIMENSION}"/>', xml)
        if count != 1:
            raise ValueError("the sheet XML has no <dimension> to rewrite")
        return xml

    data = _to_bytes(_template_workbook(_sample_answers()))
    path.write_bytes(_rewrite_zip(data, _sheet_member_rewriter(claim)))
    return path


BILLION_LAUGHS_DOCTYPE = (
    "<!DOCTYPE worksheet [\n"
    '<!ENTITY lol0 "lol">\n'
    + "".join(
        f'<!ENTITY lol{n} "{"".join(f"&lol{n - 1};" for _ in range(10))}">\n' for n in range(1, 10)
    )
    + "]>"
)
EXTERNAL_ENTITY_DOCTYPE = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def entity_bomb(directory: Path) -> Path:
    """ "entity_bomb.xlsx": the template whose sheet XML declares the billion laughs.

    A DOCTYPE with ``BILLION_LAUGHS_DOCTYPE`` (lol9 expands to 10⁹ "lol") comes before
    ``<worksheet>``, and the header cell A1 reads "市町村コード&lol9;".
    """
    path = _prepare(directory, "entity_bomb.xlsx")
    data = _to_bytes(_template_workbook(_sample_answers()))
    find = f"<t>{TEMPLATE_CODE_HEADER}</t>"
    replace = f"<t>{TEMPLATE_CODE_HEADER}&lol9;</t>"
    rewrite = _sheet_member_rewriter(
        lambda xml: _with_doctype(xml, BILLION_LAUGHS_DOCTYPE, find, replace)
    )
    path.write_bytes(_rewrite_zip(data, rewrite))
    return path


def external_entity(directory: Path) -> Path:
    """ "external_entity.xlsx": the template whose sheet XML pulls in file:///etc/passwd.

    A DOCTYPE declaring ``xxe`` as SYSTEM "file:///etc/passwd" comes before ``<worksheet>``,
    and the header cell B1 reads "市町村名&xxe;"; a reader that resolves it would show
    "root:" in that header.
    """
    path = _prepare(directory, "external_entity.xlsx")
    data = _to_bytes(_template_workbook(_sample_answers()))
    find = f"<t>{TEMPLATE_NAME_HEADER}</t>"
    replace = f"<t>{TEMPLATE_NAME_HEADER}&xxe;</t>"
    rewrite = _sheet_member_rewriter(
        lambda xml: _with_doctype(xml, EXTERNAL_ENTITY_DOCTYPE, find, replace)
    )
    path.write_bytes(_rewrite_zip(data, rewrite))
    return path


def _other_score(item: Item, score: int) -> int:
    """The next value of the item's scale after ``score``, wrapping round."""
    values = sorted(item.scale.values)
    return values[(values.index(score) + 1) % len(values)]


def two_answers_for_one_municipality(
    directory: Path, answers: Answers
) -> tuple[Path, DuplicateRows]:
    """ "duplicate.xlsx": the template layout with the second municipality answering twice.

    Rows 2.. hold ``answers`` in order; one more row at the end repeats the second
    municipality (same code and name) with every item changed to the next value of its
    scale. Needs at least two municipalities with all items answered.
    """
    if len(answers.scores) < 2:
        raise ValueError("two_answers_for_one_municipality needs two municipalities or more")
    path = _prepare(directory, "duplicate.xlsx")
    workbook = _template_workbook(answers)
    code, first = list(answers.scores.items())[1]
    second = {item.code: _other_score(item, first[item.code]) for item in _items()}
    sheet = workbook.active
    sheet.append(_template_row(code, second))
    _save(workbook, path)
    rows = (3, 2 + len(answers.scores))
    return path, DuplicateRows(code, rows, dict(first), second)


UNKNOWN_MUNICIPALITY = "東京都千代田区"
WRONG_CHECK_DIGIT = "302016"  # 和歌山市 is 302015
BAD_ANSWERS_HEADER = "市町村"


def bad_answers(directory: Path, answers: Answers) -> tuple[Path, list[CellProblem]]:
    """ "bad_answers.xlsx": one municipality column (name), then "<code> <question>" items.

    Rows 2.. hold ``answers`` (at least three municipalities) by name, with these cells
    replaced (data row i is sheet row 2 + i; the first item columns are 0-1 = B, 0-3 = C):

    * row 2, item 0-3: "たぶん" (not a score)
    * row 3, item 3-1: the int 5 (a number outside the national scale 0..3)
    * row 4, item D2: the int 2 (a national-scale value, not on the prefecture scale 0/3)

    Then three rows that name no roster municipality, each with the first municipality's
    scores: an empty municipality cell, ``UNKNOWN_MUNICIPALITY``, and ``WRONG_CHECK_DIGIT``
    (a 6-digit code whose check digit is wrong). The returned problems list every cell in
    sheet order; all other cells are valid and hold the scores in ``answers``.
    """
    if len(answers.scores) < 3:
        raise ValueError("bad_answers needs three municipalities or more")
    path = _prepare(directory, "bad_answers.xlsx")
    items = _items()
    headers = [BAD_ANSWERS_HEADER, *(f"{item.code} {item.question}" for item in items)]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "回答"
    sheet.append(headers)
    for code, scores in answers.scores.items():
        sheet.append([_municipality(code).name, *(scores.get(i.code) for i in items)])
    codes = answers.codes
    problems: list[CellProblem] = []
    for row, item_code, value in ((2, "0-3", "たぶん"), (3, "3-1", 5), (4, "D2", 2)):
        column = _column_letter(2 + _catalog().codes.index(item_code))
        sheet[f"{column}{row}"] = value
        header = headers[_catalog().codes.index(item_code) + 1]
        problems.append(CellProblem(row, column, header, value, codes[row - 2], item_code))
    filler = answers.scores[codes[0]]
    for name in (None, UNKNOWN_MUNICIPALITY, WRONG_CHECK_DIGIT):
        sheet.append([name, *(filler.get(i.code) for i in items)])
        problems.append(CellProblem(sheet.max_row, "A", BAD_ANSWERS_HEADER, name, None, None))
    _save(workbook, path)
    return path, problems


# --- benchmark --------------------------------------------------------------------------------


def synthetic_roster(count: int) -> list[tuple[str, str]]:
    """``count`` made-up municipalities with valid, unique 6-digit codes and unique names.

    Prefectures 01..47 take turns; the municipal part counts up from 201.
    """
    if count > 47 * 799:
        raise ValueError("too many municipalities for 3-digit municipal parts")
    roster: list[tuple[str, str]] = []
    for index in range(count):
        five = f"{index % 47 + 1:02d}{201 + index // 47:03d}"
        kind = ("市", "町", "村")[index % 3]
        roster.append((f"{five}{check_digit(five)}", f"試験{index + 1:04d}{kind}"))
    return roster


def nationwide_xlsx(
    directory: Path, rows: int = 1741, columns: int = 80, seed: int = 0, *, write_only: bool = False
) -> tuple[Path, list[tuple[str, str]]]:
    """ "nationwide.xlsx": ``rows`` made-up municipalities × ``columns`` columns, for timing.

    Columns: 市町村コード, 市町村名, the items headed "<code> <question>" with answers
    "<digit> <label>", then free-text columns "自由記述1".. up to ``columns``. Written in
    openpyxl's normal mode, which (like Excel) puts the sheet's size first; ``write_only`` leaves
    it out, so a reader must parse the whole sheet once to learn it. Returns the path and the
    (code, name) roster used.
    """
    fixed = 2 + len(_items())
    if columns < fixed:
        raise ValueError(f"columns must be {fixed} or more")
    path = _prepare(directory, "nationwide.xlsx")
    roster = synthetic_roster(rows)
    answers = answers_for([code for code, _ in roster], seed=seed)
    fillers = columns - fixed
    workbook = openpyxl.Workbook(write_only=write_only)
    if write_only:
        sheet = workbook.create_sheet("回答")
    else:
        sheet = workbook.active
        sheet.title = "回答"
    sheet.append([*_template_header(), *(f"自由記述{n + 1}" for n in range(fillers))])
    for index, (code, name) in enumerate(roster):
        scores = answers.scores[code]
        sheet.append(
            [
                code,
                name,
                *(_label(item, scores[item.code], with_digit=True) for item in _items()),
                *(f"{name}の補足 {index + 1}-{n + 1}" for n in range(fillers)),
            ]
        )
    _save(workbook, path)
    return path, roster


# Questions added after the shipped R6 definition's 66 so that a Forms export of the whole
# survey is about 100 columns wide (6 Forms columns + 市町村名 + 66 + 27 = 100), as the issue's
# benchmark asks: multiple choice over the definition's own lists first, then the other types.
PADDING_QUESTIONS = 27
_PADDING_TYPES = ("multiple", "single", "multiple", "number", "yes_no", "multiple", "text")


def padded_definition(definition: SurveyDefinition, extra: int) -> SurveyDefinition:
    """``definition`` with ``extra`` synthetic questions on one more page ("X1", "X2", …), each
    a type of ``_PADDING_TYPES`` in turn, choice questions over the definition's lists."""
    lists = sorted(definition.choice_lists)
    page = max(q.page for q in definition.questions) + 1
    added = []
    for n in range(1, extra + 1):
        kind = _PADDING_TYPES[(n - 1) % len(_PADDING_TYPES)]
        added.append(
            Question(
                code=f"X{n}",
                page=page,
                section="追加の設問",
                text=f"追加の設問 第{n}問（{QUESTION_TYPES[kind]}）にお答えください。",
                type=kind,
                choices=lists[n % len(lists)] if kind in ("single", "multiple") else None,
                unit="件" if kind == "number" else "",
            )
        )
    return replace(definition, questions=(*definition.questions, *added))


def whole_survey_nationwide_xlsx(
    directory: Path, definition: SurveyDefinition, rows: int = 1741
) -> tuple[Path, list[Municipality], int]:
    """ "forms.xlsx": ``rows`` made-up municipalities (``synthetic_roster``) answering every
    question of ``definition`` as Microsoft Forms exports them (multiple choice 「A;B;」).
    Returns the path, the roster and the number of columns."""
    roster = [
        Municipality(code, name, "", name[-1], None, "全国", None)
        for code, name in synthetic_roster(rows)
    ]
    export = forms_export_xlsx(directory, definition, _catalog(), roster)
    return export.path, roster, len(export.headers)

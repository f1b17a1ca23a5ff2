"""The survey file generators write what they say they write."""

import csv
import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import olefile
import openpyxl
import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.municipality_codes import is_valid_code
from dxdesk.domain.roster import load_roster, match_municipality
from dxdesk.domain.text import normalize_digits
from tests.imports import survey_files as sf

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CATALOG = load_catalog()
ROSTER = load_roster()
ITEM_CODES = list(CATALOG.codes)
TEMPLATE_HEADER = [
    "市町村コード",
    "市町村名",
    *(f"{item.code} {item.question}" for item in CATALOG.items),
]


@pytest.fixture
def answers() -> sf.Answers:
    return sf.answers_for([m.code for m in ROSTER], seed=7)


def rows_of(path: Path, *, data_only: bool = False) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path, data_only=data_only)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def label_score(code: str, text: str) -> int:
    """The score of a choice label, with or without the leading digit."""
    scale = CATALOG.item(code).scale
    matches = [o.value for o in scale.options if text in (o.label, f"{o.value} {o.label}")]
    assert len(matches) == 1, (code, text)
    return matches[0]


def test_answers_are_seeded_and_valid() -> None:
    codes = ["302015", "302023"]
    first = sf.answers_for(codes, seed=3)
    assert first == sf.answers_for(codes, seed=3)
    assert first != sf.answers_for(codes, seed=4)
    assert list(first.scores) == codes
    for scores in first.scores.values():
        assert list(scores) == ITEM_CODES
        assert CATALOG.validate_scores(scores) == scores


def test_ms_forms_export(tmp_path: Path, answers: sf.Answers) -> None:
    path = sf.ms_forms_xlsx(tmp_path, answers)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Sheet1"]
    header, *data = rows_of(path)
    meta = list(sf.MS_FORMS_META_HEADERS)
    assert header[:7] == [*meta, "市町村名"]
    assert header[-2:] == list(sf.EXTRA_QUESTIONS)
    questions = header[7:-2]
    assert len(questions) == 26
    for item, question in zip(CATALOG.items, questions, strict=True):
        assert isinstance(question, str)
        assert normalize_digits(question) == normalize_digits(item.question)
        assert (question != item.question) == (item.code in sf.MS_FORMS_HEADER_VARIANTS)
    assert len(data) == len(answers.scores) == 30
    for index, (row, (code, scores)) in enumerate(zip(data, answers.scores.items(), strict=True)):
        assert row[0] == index + 1
        assert isinstance(row[1], datetime)
        assert row[1].date() == date(2025, 10, 20)
        assert isinstance(row[2], datetime) and row[2] > row[1]
        name = row[6]
        assert isinstance(name, str)
        assert name.startswith("和歌山県") == (index % 3 == 1)
        found = match_municipality(ROSTER, name)
        assert found is not None and found.code == code
        labels = row[7:-2]
        assert not any(str(label)[0].isdigit() for label in labels)
        read = {c: label_score(c, str(label)) for c, label in zip(ITEM_CODES, labels, strict=True)}
        assert read == scores


def test_google_forms_export(tmp_path: Path, answers: sf.Answers) -> None:
    path = sf.google_forms_xlsx(tmp_path, answers)
    assert openpyxl.load_workbook(path).sheetnames == ["フォームの回答 1"]
    header, *data = rows_of(path)
    assert header[:3] == ["タイムスタンプ", "メールアドレス", "団体名"]
    assert header[3:] == TEMPLATE_HEADER[2:]
    assert "3-12 BPRを推進していますか？" in header
    names = {row[2] for row in data}
    assert {"海草郡紀美野町", "和歌山市", "東牟婁郡北山村"} <= names
    for row, (code, scores) in zip(data, answers.scores.items(), strict=True):
        assert isinstance(row[0], datetime)
        found = match_municipality(ROSTER, str(row[2]))
        assert found is not None and found.code == code
        for item_code, label in zip(ITEM_CODES, row[3:], strict=True):
            score = scores[item_code]
            assert label == f"{score} {CATALOG.item(item_code).scale.label_for(score)}"


def plain_item_code(header: str) -> str:
    """The documented reading of a hand-made item header."""
    text = normalize_digits(header).replace(" ", "")
    return re.sub(r"^(問|Q)", "", text).upper()


def plain_score(code: str, value: object) -> int:
    """The documented expected score of a hand-made answer cell."""
    text = normalize_digits(str(value))
    if CATALOG.item(code).scale.id == "prefecture":
        if text in ("有", "無"):
            return 3 if text == "有" else 0
        return 3 if int(text.removesuffix("件")) >= 1 else 0
    return int(text)


@pytest.mark.parametrize("header_row", [4, 7])
def test_plain_sheet(tmp_path: Path, answers: sf.Answers, header_row: int) -> None:
    path = sf.plain_sheet_xlsx(tmp_path, answers, header_row=header_row)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].value == "令和7年度 DX推進状況調査 集計"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:H1"]
    assert all(cell.value is None for cell in sheet[2])
    assert sheet["A3"].value == sf.PLAIN_NOTE
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[header_row - 1]
    assert header[:2] == ["コード", "市町村"]
    assert [plain_item_code(str(h)) for h in header[2:]] == ITEM_CODES
    assert {"Ｄ１", "３－１２", "Q3-5", "問 0-1"} <= set(header)
    data_rows = sf.plain_data_rows(len(answers.scores), header_row=header_row)
    assert data_rows[:4] == [header_row + n for n in (1, 2, 3, 5)]  # a blank row after three
    assert len(rows) == data_rows[-1]
    for number in range(header_row + 1, len(rows) + 1):
        blank = all(v is None for v in rows[number - 1])
        assert blank == (number not in data_rows)
    code_cells = [rows[r - 1][0] for r in data_rows]
    assert code_cells[1] == "30202"
    assert code_cells[2] == 302031
    assert code_cells[3] == "３０２０４０"
    counts: set[object] = set()
    for r, (code, scores) in zip(data_rows, answers.scores.items(), strict=True):
        row = rows[r - 1]
        found = match_municipality(ROSTER, str(row[0]))
        assert found is not None and found.code == code
        assert {c: plain_score(c, v) for c, v in zip(ITEM_CODES, row[2:], strict=True)} == scores
        counts.update(row[2 + ITEM_CODES.index(c)] for c in ITEM_CODES if c.startswith("D"))
    assert {"有", "無", "2件", "0件", "３件", 0, 1, "0"} == counts


def test_plain_sheet_refuses_a_header_over_the_note(tmp_path: Path, answers: sf.Answers) -> None:
    with pytest.raises(ValueError, match="header_row"):
        sf.plain_sheet_xlsx(tmp_path, answers, header_row=3)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932"])
def test_csv_file(tmp_path: Path, answers: sf.Answers, encoding: sf.CsvEncoding) -> None:
    path = sf.csv_file(tmp_path, answers, encoding=encoding)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    if encoding == "cp932":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw.decode(encoding), newline="")))
    assert b"\r\n" in raw
    assert rows[0] == TEMPLATE_HEADER
    assert len(rows) == 31
    for row, (code, scores) in zip(rows[1:], answers.scores.items(), strict=True):
        assert row[0] == code
        assert dict(zip(ITEM_CODES, map(int, row[2:]), strict=True)) == scores


def test_csv_leaves_an_unanswered_item_empty(tmp_path: Path) -> None:
    answers = sf.Answers({"302015": {"0-1": 3, "D1": 0}})
    with sf.csv_file(tmp_path, answers, encoding="utf-8").open(newline="") as file:
        rows = list(csv.reader(file))
    assert rows[1][2:4] == ["3", ""]
    assert rows[1][2 + ITEM_CODES.index("D1")] == "0"


def test_not_a_spreadsheet(tmp_path: Path) -> None:
    png = sf.not_a_spreadsheet(tmp_path)
    assert png.suffix == ".xlsx"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert not zipfile.is_zipfile(png)
    text = sf.not_a_spreadsheet(tmp_path / "t", kind="text")
    assert "Excel" in text.read_text(encoding="utf-8")


def test_corrupt_zip(tmp_path: Path) -> None:
    path = sf.corrupt_zip(tmp_path)
    assert path.read_bytes().startswith(b"PK\x03\x04")
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(path)


def test_password_protected(tmp_path: Path) -> None:
    path = sf.password_protected(tmp_path)
    assert path.read_bytes().startswith(OLE_SIGNATURE)
    with olefile.OleFileIO(str(path)) as ole:
        assert ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage")
    with path.open("rb") as f:
        office = OOXMLFile(f)
        assert office.is_encrypted()
        office.load_key(password=sf.PASSWORD)
        plain = io.BytesIO()
        office.decrypt(plain)
    assert rows_of_bytes(plain.getvalue())[0] == TEMPLATE_HEADER


def rows_of_bytes(data: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_old_xls_is_biff8(tmp_path: Path) -> None:
    path = sf.old_xls(tmp_path)
    assert path.read_bytes().startswith(OLE_SIGNATURE)
    with olefile.OleFileIO(str(path)) as ole:
        assert ole.listdir() == [["Workbook"]]
        stream = ole.openstream("Workbook").read()
    # BOF record (0x0809) of a BIFF8 workbook globals substream (version 0x0600)
    assert stream[:2] == b"\x09\x08"
    assert stream[4:6] == b"\x00\x06"


def test_formulas_have_no_cached_values(tmp_path: Path, answers: sf.Answers) -> None:
    path, cells = sf.formulas_without_cached_values(tmp_path, answers)
    assert [(c.row, c.item) for c in cells] == [(2, "0-3"), (3, "3-5"), (4, "D2")]
    formulas = openpyxl.load_workbook(path).active
    values = openpyxl.load_workbook(path, data_only=True).active
    for cell in cells:
        assert cell.value == answers.scores[cell.municipality][cell.item]
        assert formulas[f"{cell.column}{cell.row}"].value == cell.formula
        assert values[f"{cell.column}{cell.row}"].value is None
        assert rows_of(path)[0][ITEM_CODES.index(cell.item) + 2] == f"{cell.item} " + (
            CATALOG.item(cell.item).question
        )
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert f"<f>{cells[0].formula[1:]}</f><v />" in xml


def test_huge_file(tmp_path: Path) -> None:
    path = sf.huge_file(tmp_path)
    assert path.stat().st_size > 20 * 1024 * 1024
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert {i.compress_type for i in z.infolist()} == {zipfile.ZIP_STORED}
    workbook = openpyxl.load_workbook(path, read_only=True)
    assert workbook.sheetnames == ["回答", "メモ"]
    assert next(workbook["回答"].iter_rows(values_only=True)) == tuple(TEMPLATE_HEADER)
    workbook.close()


def test_claims_many_rows(tmp_path: Path) -> None:
    path = sf.claims_many_rows(tmp_path)
    with zipfile.ZipFile(path) as z:
        assert '<dimension ref="A1:AB200000"/>' in z.read("xl/worksheets/sheet1.xml").decode()
    workbook = openpyxl.load_workbook(path, read_only=True)
    sheet = workbook.active
    assert sheet.max_row == 200_000
    assert len(list(sheet.iter_rows(values_only=True))) == 4
    workbook.close()


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


def without_doctype(path: Path, doctype: str, reference: str) -> list[list[object]]:
    """The workbook with DOCTYPE and entity reference taken out, read back."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = body.decode().replace(doctype, "").replace(reference, "").encode()
            target.writestr(info, body)
    return rows_of_bytes(out.getvalue())


def test_entity_bomb(tmp_path: Path) -> None:
    path = sf.entity_bomb(tmp_path)
    xml = sheet_xml(path)
    assert xml.startswith("<!DOCTYPE worksheet [")
    assert '<!ENTITY lol9 "' + "&lol8;" * 10 + '">' in xml
    assert "<t>市町村コード&lol9;</t>" in xml
    assert without_doctype(path, sf.BILLION_LAUGHS_DOCTYPE, "&lol9;")[0] == TEMPLATE_HEADER


def test_external_entity(tmp_path: Path) -> None:
    path = sf.external_entity(tmp_path)
    xml = sheet_xml(path)
    assert xml.startswith('<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    assert "<t>市町村名&xxe;</t>" in xml
    assert without_doctype(path, sf.EXTERNAL_ENTITY_DOCTYPE, "&xxe;")[0] == TEMPLATE_HEADER


def test_two_answers_for_one_municipality(tmp_path: Path, answers: sf.Answers) -> None:
    path, duplicate = sf.two_answers_for_one_municipality(tmp_path, answers)
    rows = rows_of(path)
    assert duplicate.municipality == "302023"
    assert duplicate.rows == (3, 32)
    assert len(rows) == 32
    first, second = (rows[r - 1] for r in duplicate.rows)
    assert first[:2] == second[:2] == ["302023", "海南市"]
    assert dict(zip(ITEM_CODES, first[2:], strict=True)) == duplicate.first
    assert dict(zip(ITEM_CODES, second[2:], strict=True)) == duplicate.second
    assert duplicate.first == answers.scores["302023"]
    assert all(duplicate.first[c] != duplicate.second[c] for c in ITEM_CODES)
    assert CATALOG.validate_scores(duplicate.second) == duplicate.second
    assert sum(1 for row in rows if row[0] == "302023") == 2


def test_bad_answers(tmp_path: Path, answers: sf.Answers) -> None:
    path, problems = sf.bad_answers(tmp_path, answers)
    sheet = openpyxl.load_workbook(path).active
    assert [(p.row, p.column, p.value) for p in problems] == [
        (2, "C", "たぶん"),
        (3, "G", 5),
        (4, "U", 2),
        (32, "A", None),
        (33, "A", "東京都千代田区"),
        (34, "A", "302016"),
    ]
    for problem in problems:
        assert sheet[f"{problem.column}{problem.row}"].value == problem.value
        assert sheet[f"{problem.column}1"].value == problem.header
    bad_cells = {(p.row, p.column) for p in problems}
    for index, (code, scores) in enumerate(answers.scores.items()):
        row = 2 + index
        assert sheet[f"A{row}"].value == next(m.name for m in ROSTER if m.code == code)
        for column, item_code in enumerate(ITEM_CODES, start=2):
            letter = openpyxl.utils.get_column_letter(column)
            if (row, letter) not in bad_cells:
                assert sheet[f"{letter}{row}"].value == scores[item_code]
    assert sheet.max_row == 34


@pytest.mark.slow  # a nationwide survey file written and read back (about 10 s)
def test_nationwide(tmp_path: Path) -> None:
    path, roster = sf.nationwide_xlsx(tmp_path)
    assert len(roster) == 1741
    assert all(is_valid_code(code) for code, _ in roster)
    assert len({code for code, _ in roster}) == len({name for _, name in roster}) == 1741
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert len(rows) == 1742
    assert {len(row) for row in rows} == {80}
    assert list(rows[0][:28]) == TEMPLATE_HEADER
    assert [(row[0], row[1]) for row in rows[1:]] == roster
    for item_code, label in zip(ITEM_CODES, rows[1][2:28], strict=True):
        label_score(item_code, str(label))
    assert sf.nationwide_xlsx(tmp_path / "again")[1] == roster

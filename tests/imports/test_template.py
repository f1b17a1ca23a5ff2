from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import update

from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.errors import DomainError, InvalidFiscalYear
from dxdesk.domain.roster import Municipality, load_roster
from dxdesk.imports.template import (
    ANSWERS_SHEET,
    CHOICES_SHEET,
    INSTRUCTIONS_SHEET,
    template_municipalities,
    write_template,
)
from dxdesk.models.tables import MunicipalityRow
from dxdesk.services.workspace import Workspace

FY = 2025


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def roster() -> tuple[Municipality, ...]:
    return load_roster()


def _write(tmp_path: Path, catalog: Catalog, municipalities: Any) -> Any:
    path = write_template(
        tmp_path / "回答票.xlsx", catalog=catalog, municipalities=municipalities, fiscal_year=FY
    )
    assert path == tmp_path / "回答票.xlsx"
    return load_workbook(path)


def _list_choices(wb: Any, formula: str) -> list[str]:
    sheet, cells = formula.split("!")
    return [row[0].value for row in wb[sheet.strip("'")][cells.replace("$", "")]]


def test_sheets_and_the_instructions_header(
    tmp_path: Path, catalog: Catalog, roster: tuple[Municipality, ...]
) -> None:
    wb = _write(tmp_path, catalog, roster)
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, ANSWERS_SHEET, CHOICES_SHEET]
    assert (INSTRUCTIONS_SHEET, ANSWERS_SHEET, CHOICES_SHEET) == ("記入方法", "回答", "選択肢")
    assert wb[CHOICES_SHEET].sheet_state == "hidden"
    assert wb[ANSWERS_SHEET].sheet_state == "visible"
    info = wb[INSTRUCTIONS_SHEET]
    assert info["A1"].value == "DX推進状況調査 回答票（令和7年度）"
    assert (info["A3"].value, info["B3"].value) == ("年度", 2025)
    assert isinstance(info["B3"].value, int)
    assert (info["A4"].value, info["B4"].value) == ("項目版", catalog.version)
    assert info["B5"].value == "アセスメント項目"  # no definition given: the catalog's items
    text = "\n".join(str(c.value) for c in info["A"] if c.row >= 6 and c.value)
    assert "実績が1件以上あれば「3 実績が1件以上ある」" in text
    assert ".xlsx" in text
    # The list of questions gives each item's choices.
    how = {row[2]: row[4] for row in info.iter_rows(values_only=True) if row[2] in catalog.codes}
    assert list(how) == list(catalog.codes)
    assert how["0-1"].startswith("▼から選ぶ: 3 推進している／2 推進予定")
    assert how["D1"] == "▼から選ぶ: 3 実績が1件以上ある／0 実績が無い"
    assert wb.properties.title == "DX推進状況調査 回答票 R7 (2025)"


def test_answer_headers_and_rows(
    tmp_path: Path, catalog: Catalog, roster: tuple[Municipality, ...]
) -> None:
    ws = _write(tmp_path, catalog, roster)[ANSWERS_SHEET]
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["市町村コード", "市町村名", "回答者", "回答日"]
    assert len(headers) == 4 + len(catalog.items) == 30
    assert [h.split(" ", 1)[0] for h in headers[4:]] == list(catalog.codes)
    assert headers[4:] == [f"{i.code} {i.question}" for i in catalog.items]
    assert all(ws.cell(1, col).alignment.wrap_text for col in range(1, 31))
    assert ws.row_dimensions[1].height > 15
    assert ws.max_row == 31
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in rows] == [(m.code, m.name) for m in roster]
    assert all(isinstance(r[0], str) for r in rows)
    assert ws["A2"].number_format == "@"
    assert (ws["C2"].number_format, ws["D2"].number_format) == ("@", "yyyy/m/d")
    assert all(v is None for r in rows for v in r[2:])


def test_each_answer_cell_has_the_drop_down_of_its_scale(
    tmp_path: Path, catalog: Catalog, roster: tuple[Municipality, ...]
) -> None:
    wb = _write(tmp_path, catalog, roster)
    ws = wb[ANSWERS_SHEET]
    validations = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(validations) == len({i.scale.id for i in catalog.items}) == 2
    [dated] = [dv for dv in ws.data_validations.dataValidation if dv.type == "date"]
    assert str(dated.sqref) == "D2:D31"  # 回答日
    for col, item in enumerate(catalog.items, start=5):
        for row in range(2, 32):
            [dv] = [dv for dv in validations if ws.cell(row, col).coordinate in dv.sqref]
            assert dv.type == "list"
            assert dv.showErrorMessage
            assert dv.error
            choices = _list_choices(wb, dv.formula1)
            assert choices == [
                f"{o.value} {o.label}" for o in sorted(item.scale.options, key=lambda o: -o.value)
            ]
    national = next(i for i in catalog.items if i.scale.id == "national")
    [dv] = [dv for dv in validations if "E2" in dv.sqref]
    assert national.code == catalog.items[0].code
    assert _list_choices(wb, dv.formula1)[0] == "3 推進している"
    # Nothing outside the answer cells is validated.
    outside = ("A2", "B2", "C2", "D2", "E1", "E32")
    assert not any(cell in dv.sqref for dv in validations for cell in outside)


def test_frozen_headers_widths_and_printing(
    tmp_path: Path, catalog: Catalog, roster: tuple[Municipality, ...]
) -> None:
    ws = _write(tmp_path, catalog, roster)[ANSWERS_SHEET]
    assert ws.freeze_panes == "C2"
    assert ws.column_dimensions["A"].width == 10
    assert ws.column_dimensions["B"].width == 14
    assert ws.column_dimensions["C"].width == 14  # 回答者
    assert ws.column_dimensions["D"].width == 12  # 回答日
    assert ws.column_dimensions["E"].width == 18
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert int(ws.page_setup.fitToWidth) == 1
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert ws.print_title_cols == "$A:$B"


def test_a_coordinators_30_and_an_advisors_2(
    tmp_path: Path, catalog: Catalog, roster: tuple[Municipality, ...], workspace: Workspace
) -> None:
    coordinator = template_municipalities(workspace)
    assert coordinator == list(roster)
    keep = {roster[0].code, roster[5].code}
    with workspace.store.transaction() as session:
        session.execute(
            update(MunicipalityRow).where(MunicipalityRow.code.not_in(keep)).values(assigned=False)
        )
    advisor = template_municipalities(workspace)
    assert advisor == [roster[0], roster[5]]

    (tmp_path / "c").mkdir()
    (tmp_path / "a").mkdir()
    full = _write(tmp_path / "c", catalog, coordinator)[ANSWERS_SHEET]
    mine = _write(tmp_path / "a", catalog, advisor)[ANSWERS_SHEET]
    assert full.max_row - 1 == 30
    assert mine.max_row - 1 == 2
    assert [mine["A2"].value, mine["A3"].value] == [roster[0].code, roster[5].code]
    [dv, *_] = [dv for dv in mine.data_validations.dataValidation if dv.type == "list"]
    assert "E3" in dv.sqref
    assert "E4" not in dv.sqref


def test_a_missing_folder_raises_and_leaves_no_file(tmp_path: Path, catalog: Catalog) -> None:
    target = tmp_path / "missing" / "回答票.xlsx"
    with pytest.raises(FileNotFoundError):
        write_template(target, catalog=catalog, municipalities=load_roster(), fiscal_year=FY)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_saving_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "回答票.xlsx"
    target.write_bytes(b"old")

    def half_save(self: Workbook, filename: Path) -> None:
        Path(filename).write_bytes(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(Workbook, "save", half_save)
    with pytest.raises(OSError, match="disk full"):
        write_template(target, catalog=catalog, municipalities=load_roster(), fiscal_year=FY)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_nothing_to_list_or_a_bad_year_is_refused(tmp_path: Path, catalog: Catalog) -> None:
    target = tmp_path / "回答票.xlsx"
    with pytest.raises(DomainError, match="市町村がありません"):
        write_template(target, catalog=catalog, municipalities=[], fiscal_year=FY)
    with pytest.raises(InvalidFiscalYear):
        write_template(target, catalog=catalog, municipalities=load_roster(), fiscal_year=1800)
    assert not target.exists()

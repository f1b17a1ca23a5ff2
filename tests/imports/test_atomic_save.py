"""Every workbook the app writes is whole or absent: the one helper (models/file_writing.py)
leaves neither a half-written target nor its temporary file behind."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.roster import load_roster
from dxdesk.domain.survey_definition import catalog_definition
from dxdesk.imports.definition_workbook import write_definition_workbook
from dxdesk.imports.template import write_template
from dxdesk.models.file_writing import replace_atomically

CATALOG = load_catalog()


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")

    def half(temp: Path) -> None:
        temp.write_bytes(b"half")
        raise RuntimeError("disk went away")

    with pytest.raises(RuntimeError):
        replace_atomically(target, half)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


def test_the_answer_sheet_and_the_definition_replace_a_file_whole(tmp_path: Path) -> None:
    definition = catalog_definition(CATALOG, 2024)
    sheet, book = tmp_path / "回答票.xlsx", tmp_path / "定義.xlsx"
    for path in (sheet, book):
        path.write_bytes(b"old")
    write_template(
        sheet,
        definition=definition,
        catalog=CATALOG,
        municipalities=load_roster()[:2],
        fiscal_year=2024,
    )
    assert write_definition_workbook(definition, book) == book
    for path in (sheet, book):
        assert openpyxl.load_workbook(path).sheetnames  # a whole workbook, not b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["回答票.xlsx", "定義.xlsx"]

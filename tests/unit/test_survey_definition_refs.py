"""A response keeps being read under the definition it was imported with: the shipped one or the
catalog's items stay its definition after the secretariat loads a new one for the year."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from dxdesk.services.survey_definition_loads import store_definition
from dxdesk.services.survey_definitions import (
    response_definition,
    shipped_definition,
    year_definition,
)
from dxdesk.services.workspace import Workspace, open_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = open_workspace(tmp_path / "data")
    yield ws
    ws.close()


def _load_without_last_question(ws: Workspace, fiscal_year: int) -> str:
    current = year_definition(ws.store, fiscal_year).definition
    fewer = replace(current, questions=current.questions[:-1], title="改訂版")
    return store_definition(ws, fewer, source_name="改訂版.xlsx", source_sha256="a" * 64).id


@pytest.mark.parametrize("fiscal_year", [2024, 2031], ids=["shipped", "catalog only"])
def test_a_response_read_before_a_load_keeps_its_definition(
    workspace: Workspace, fiscal_year: int
) -> None:
    before = year_definition(workspace.store, fiscal_year)
    assert before.id is None  # shipped (2024), or the catalog's items (2031)
    assert (shipped_definition(fiscal_year) is not None) == (fiscal_year == 2024)
    last = before.definition.questions[-1].code
    loaded = _load_without_last_question(workspace, fiscal_year)
    assert year_definition(workspace.store, fiscal_year).id == loaded
    for named in (before.ref, None):  # None: stored before responses named these
        read = response_definition(workspace.store, named, fiscal_year)
        assert read.definition == before.definition
        assert last in read.definition.by_code
    after = response_definition(workspace.store, loaded, fiscal_year)
    assert last not in after.definition.by_code


def test_refs_differ_by_content_and_year(workspace: Workspace) -> None:
    shipped = year_definition(workspace.store, 2024)
    catalog_only = year_definition(workspace.store, 2031)
    other_year = year_definition(workspace.store, 2032)
    refs = {shipped.ref, catalog_only.ref, other_year.ref}
    assert len(refs) == 3
    assert shipped.ref == year_definition(workspace.store, 2024).ref  # stable

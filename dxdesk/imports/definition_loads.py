"""``load_definition``: a definition workbook checked and, when it has no problem, made its
fiscal year's (dxdesk/services/survey_definition_loads.py stores it)."""

from __future__ import annotations

from pathlib import Path

from dxdesk.domain.catalog import Catalog
from dxdesk.imports.definition_workbook import read_definition_workbook
from dxdesk.imports.workbook import SurveyFileError
from dxdesk.services.survey_definition_loads import (
    DefinitionLoad,
    DefinitionRefused,
    require_secretariat,
    store_definition,
)
from dxdesk.services.workspace import Workspace

__all__ = ["DefinitionLoad", "DefinitionRefused", "load_definition"]


def load_definition(
    workspace: Workspace, path: Path, *, catalog: Catalog | None = None
) -> DefinitionLoad:
    """Check ``path`` and make its definition the year's; DefinitionRefused (nothing written)
    when this folder is an advisor's, the file cannot be read, or the check finds problems."""
    require_secretariat(workspace.store)
    try:
        check = read_definition_workbook(path, catalog=catalog)
    except SurveyFileError as exc:
        raise DefinitionRefused(f"{path.name} を読み込めません: {exc}") from None
    if check.definition is None:
        raise DefinitionRefused(
            f"{path.name} に問題が {len(check.problems)} 件あるため、読み込みませんでした"
            f"（dxdesk survey-definition check {path.name} で場所を確かめて直してください）",
            check.problems,
        )
    return store_definition(
        workspace,
        check.definition,
        source_name=path.name,
        source_sha256=check.sha256,
        catalog=catalog,
    )

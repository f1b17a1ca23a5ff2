"""Which definition a fiscal year's survey is read under.

A year's definition is the latest loaded one (by server revision; one loaded here and not yet
synced is newer than any synced one), else the one shipped for that year
(``resources/survey/definition-<year>-*.json``, the stored form of the workbook shipped beside
it for the secretariat to edit), else the catalog's scored items alone. A
response names the definition its answers were read under, and is read under that one.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.survey_definition import (
    SurveyDefinition,
    catalog_definition,
    definition_from_json,
)
from dxdesk.models.base import newest_first
from dxdesk.models.store import Store
from dxdesk.models.tables import SurveyDefinitionRow
from dxdesk.resources import resource_path

SHIPPED_DIR = "survey"
# The namespace of StoredDefinition.ref for a definition that is not a record.
_REFS = uuid.UUID("6f1d3b0e-5a52-4c36-9d0e-2f7d9c1a8b44")


@dataclass(frozen=True)
class StoredDefinition:
    id: str | None  # None: shipped with the app, or made from the catalog
    definition: SurveyDefinition
    source_name: str
    source_sha256: str | None
    loaded_at: datetime | None  # when it was loaded (its record's last change), None if shipped
    synced: bool  # the server has it (a record), or it needs no sync (shipped)

    @property
    def ref(self) -> str:
        """What a response read under it names in its ``definition`` field: the loaded
        record's id, or a name made from the shipped file's content (or the catalog's version
        and year), so that its answers keep being read under it after a definition is loaded."""
        if self.id is not None:
            return self.id
        if self.source_sha256 is not None:
            return str(uuid.uuid5(_REFS, f"shipped:{self.source_sha256}"))
        version = self.definition.catalog_version or ""
        return str(uuid.uuid5(_REFS, f"catalog:{version}:{self.definition.fiscal_year}"))


def loaded_definitions(store: Store, fiscal_year: int | None = None) -> list[StoredDefinition]:
    """The loaded definitions (of ``fiscal_year``, or all), newest first."""
    with store.session() as session:
        query = select(SurveyDefinitionRow).where(SurveyDefinitionRow.deleted.is_(False))
        if fiscal_year is not None:
            query = query.where(SurveyDefinitionRow.fiscal_year == fiscal_year)
        rows = list(session.scalars(query))
    rows.sort(key=lambda row: newest_first(row.server_rev, row.updated_at))
    return [_stored(row) for row in rows]


def definition_by_id(store: Store, definition_id: str) -> StoredDefinition | None:
    with store.session() as session:
        row = session.get(SurveyDefinitionRow, definition_id)
        return None if row is None else _stored(row)


def year_definition(
    store: Store, fiscal_year: int, catalog: Catalog | None = None
) -> StoredDefinition:
    """The definition a new import of ``fiscal_year`` is read under."""
    loaded = loaded_definitions(store, fiscal_year)
    if loaded:
        return loaded[0]
    if catalog is None:
        return _unloaded_definition(fiscal_year)
    shipped = shipped_definition(fiscal_year)
    if shipped is not None:
        return shipped
    return StoredDefinition(None, catalog_definition(catalog, fiscal_year), "", None, None, True)


def response_definition(
    store: Store, definition_id: str | None, fiscal_year: int
) -> StoredDefinition:
    """The definition a stored response is read under: the one it names (a loaded one this
    laptop has, the shipped one, the catalog's items), never one loaded after its import;
    the year's only when it names one this laptop has not received yet."""
    unloaded = _unloaded_definition(fiscal_year)
    if definition_id is None or definition_id == unloaded.ref:
        return unloaded
    named = definition_by_id(store, definition_id)
    if named is not None:
        return named
    return year_definition(store, fiscal_year)


class ResponseDefinitions:
    """Each response's definition (response_definition), read once per definition named: a
    year's responses mostly share one."""

    def __init__(self, store: Store, fiscal_year: int) -> None:
        self._store = store
        self._fiscal_year = fiscal_year
        self._read: dict[str | None, StoredDefinition] = {}

    def of(self, definition_id: str | None) -> StoredDefinition:
        if definition_id not in self._read:
            self._read[definition_id] = response_definition(
                self._store, definition_id, self._fiscal_year
            )
        return self._read[definition_id]


def _unloaded_definition(fiscal_year: int) -> StoredDefinition:
    """The year's definition when none is loaded: the shipped one, else the catalog's items."""
    shipped = shipped_definition(fiscal_year)
    if shipped is not None:
        return shipped
    return StoredDefinition(
        None, catalog_definition(load_catalog(), fiscal_year), "", None, None, True
    )


def shipped_definition_paths() -> dict[int, Path]:
    """Fiscal year -> the definition workbook shipped for it."""
    found: dict[int, Path] = {}
    for path in sorted(resource_path(SHIPPED_DIR).glob("definition-*.json")):
        year = path.stem.split("-")[1]
        if year.isdigit():
            found[int(year)] = path
    return found


_SHIPPED: dict[int, StoredDefinition | None] = {}


def shipped_definition(fiscal_year: int) -> StoredDefinition | None:
    if fiscal_year not in _SHIPPED:
        path = shipped_definition_paths().get(fiscal_year)
        _SHIPPED[fiscal_year] = None if path is None else _read_shipped(path)
    return _SHIPPED[fiscal_year]


def _read_shipped(path: Path) -> StoredDefinition:
    data = path.read_bytes()
    definition = definition_from_json(json.loads(data))
    sha256 = hashlib.sha256(data).hexdigest()
    return StoredDefinition(None, definition, path.name, sha256, None, True)


def _stored(row: SurveyDefinitionRow) -> StoredDefinition:
    return StoredDefinition(
        row.id,
        definition_from_json(row.definition),
        row.source_name,
        row.source_sha256,
        row.updated_at,
        row.server_rev is not None,
    )

"""What importing a sheet of past records would do, row by row: the plan a person reads before
anything is written (imports/records_import.py makes and applies it)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from dxdesk.domain.record_fields import to_json_value
from dxdesk.imports.records_sheet import SheetLayout
from dxdesk.imports.workbook import SurveyFileError

WRITES = ("create", "update")
STALE = (
    "ファイルを読んでから記録が変わりました（同期や別の取り込みなど）。読み直した結果を確かめてから、"
    "もう一度取り込んでください"
)


class StalePlan(SurveyFileError):
    """The store changed between the plan and its write: plan again and show the person."""


@dataclass(frozen=True)
class RowProblem:
    sheet: str
    row: int
    column: str
    value: Any
    message: str

    def as_json(self) -> dict[str, Any]:
        value = self.value if self.value is None else str(self.value)
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": value,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f"シート「{self.sheet}」{self.row} 行目" + (
            f" {self.column} 列" if self.column else ""
        )
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ChildChange:
    kind: str  # "interview" or "followup", on a visit's row
    record_id: str
    action: str
    values: dict[str, Any]
    changed: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()  # fields that differ but keep the record's value (see RowChange)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.record_id,
            "action": self.action,
            "changed": list(self.changed),
            "kept": list(self.kept),
            "values": {k: to_json_value(v) for k, v in self.values.items()},
        }


@dataclass(frozen=True)
class RowChange:
    row: int
    record_id: str
    action: str  # "create", "update", "unchanged" or "deleted" (tombstoned here: left alone)
    values: dict[str, Any]  # the sheet's fields, cleaned
    changed: tuple[str, ...] = ()  # for an update: the fields whose value differs
    children: tuple[ChildChange, ...] = ()
    # Fields whose cell differs from a record no import wrote on this laptop: the record's
    # value stays (it may have been typed since the file was made); a person sees the list.
    kept: tuple[str, ...] = ()

    @property
    def municipality(self) -> str | None:
        code = self.values.get("municipality")
        return code if isinstance(code, str) else None

    @property
    def writes(self) -> bool:
        """True when importing writes this row's record or one of its children."""
        return self.action in WRITES or any(c.action in WRITES for c in self.children)

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "id": self.record_id,
            "action": self.action,
            "changed": list(self.changed),
            "kept": list(self.kept),
            "values": {k: to_json_value(v) for k, v in self.values.items()},
            "children": [c.as_json() for c in self.children],
        }


@dataclass
class RecordsPlan:
    kind: str
    sheet: str
    header_row: int
    columns: dict[str, str]  # column letter -> field
    layout: SheetLayout
    changes: list[RowChange] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # rows the person left out
    source: str = ""  # the file's name and the sheet's, for the import's marks
    # the workbook's other sheets with a header of this kind, in the workbook's order
    other_sheets: list[str] = field(default_factory=list)
    sheet_order: list[str] = field(default_factory=list)  # every sheet of the workbook
    defaults: dict[str, str] = field(default_factory=dict)  # label -> what rows get: no column

    def count(self, action: str) -> int:
        return sum(c.action == action for c in self.changes)

    def problem_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row != self.header_row})

    def by_municipality(self) -> dict[str | None, dict[str, int]]:
        counts: dict[str | None, Counter[str]] = {}
        for change in self.changes:
            counts.setdefault(change.municipality, Counter())[change.action] += 1
        return {code: dict(actions) for code, actions in counts.items()}

    def child_count(self, action: str) -> int:
        return sum(c.action == action for r in self.changes for c in r.children)

    def child_counts(self) -> dict[str, dict[str, int]]:
        """Child kind ("interview", "followup") -> action -> count, for the kinds present."""
        counts: dict[str, Counter[str]] = {}
        for change in self.changes:
            for child in change.children:
                counts.setdefault(child.kind, Counter())[child.action] += 1
        return {kind: dict(actions) for kind, actions in counts.items()}

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "columns": self.columns,
            "guessed": [c.letter for c in self.layout.columns if c.guessed],
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "deleted": self.count("deleted"),
            "skipped": self.skipped,
            "other_sheets": self.other_sheets,
            "defaults": self.defaults,
            "changes": [c.as_json() for c in self.changes],
            "errors": [p.as_json() for p in self.problems],
        }

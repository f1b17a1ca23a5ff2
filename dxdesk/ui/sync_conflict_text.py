"""How a conflict reads to a person: which record, which field, each value in plain words, and
for long text a merged proposal with the two versions marked where they overlap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import merge3
from PySide6.QtCore import QCoreApplication

from dxdesk.domain.catalog import Catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.merge import merge_text
from dxdesk.domain.programme_plan import target_label
from dxdesk.domain.records import FieldType, KindSpec, kind_spec
from dxdesk.domain.roster import load_roster
from dxdesk.domain.survey_definition import SurveyDefinition, definition_from_json
from dxdesk.domain.survey_definition_diff import definition_changes
from dxdesk.domain.survey_labels import answer_label, scale_catalog
from dxdesk.models.store import StoreError
from dxdesk.services.survey_definitions import response_definition
from dxdesk.services.workspace import Workspace
from dxdesk.sync.conflicts import OpenConflict, open_conflicts
from dxdesk.ui.format import cadence_text, fiscal_year_text, level_text, vocabulary_text
from dxdesk.wire.fields import SCORES_PREFIX

CONTEXT = "conflicts"
LIST_SEPARATOR = "、"
# Kinds whose first text field does not name the record (a definition's is its prefecture).
NAMING_FIELDS = {"survey_definition": "title"}
# A structured field's differences listed one by one, the rest counted.
DIFFERENCES_SHOWN = 20


@dataclass(frozen=True)
class AnswerReading:
    """How a survey response's answers are read: its definition (choices' labels, units) and
    the catalog its scored questions' scales come from."""

    definition: SurveyDefinition
    catalog: Catalog | None

    def label(self, code: str, answer: Any) -> str:
        return answer_label(
            self.definition.by_code.get(code),
            self.definition,
            answer,
            catalog=self.catalog,
            blank=QCoreApplication.translate("conflicts", "（未回答）"),
        )


@dataclass(frozen=True)
class ConflictItem:
    conflict: OpenConflict
    record: str  # the record in words: 相談記録「窓口BPRの相談」（和歌山市、2026-11-20）
    reading: AnswerReading | None = None  # a survey response's: its answers by their labels


def load_conflicts(workspace: Workspace) -> list[ConflictItem]:
    """The open conflicts with their records described (run on the store's worker)."""
    names: dict[str, str] = {}
    return [
        ConflictItem(
            conflict,
            describe_record(workspace, conflict.kind, conflict.record_id, names),
            answer_reading(workspace, conflict.kind, conflict.record_id),
        )
        for conflict in open_conflicts(workspace.store)
    ]


def answer_reading(workspace: Workspace, kind: str, record_id: str) -> AnswerReading | None:
    """A survey response's definition, as its answers are read (None for another kind, or a
    response no longer here)."""
    if kind != "survey_response":
        return None
    try:
        record = workspace.survey_responses.get(record_id)
        stored = response_definition(workspace.store, record["definition"], record["fiscal_year"])
    except (StoreError, DomainError):
        return None
    return AnswerReading(stored.definition, scale_catalog(stored.definition.catalog_version))


def _municipality_name(workspace: Workspace, code: str, names: dict[str, str]) -> str:
    if code not in names:
        try:
            names[code] = str(workspace.municipalities.get(code)["name"])
        except (StoreError, DomainError):
            names[code] = code
    return names[code]


def describe_record(
    workspace: Workspace, kind: str, record_id: str, names: dict[str, str] | None = None
) -> str:
    spec = kind_spec(kind)
    label = vocabulary_text(spec.label)
    try:
        record = workspace.records(kind).get(record_id)
    except (StoreError, DomainError):
        return label  # deleted here, or no longer on this device
    # The record's first text names it, unless its kind says which one does.
    naming = NAMING_FIELDS.get(kind)
    texts = sorted(
        (f for f in spec.fields if f.type is FieldType.TEXT), key=lambda f: f.name != naming
    )
    title = next((str(record[f.name]) for f in texts if record.get(f.name)), "")
    details = []
    if record.get("municipality"):
        details.append(_municipality_name(workspace, record["municipality"], names or {}))
    if record.get("fiscal_year"):
        details.append(fiscal_year_text(record["fiscal_year"]))
    if record.get("date"):
        details.append(str(record["date"]))
    text = f"{label}「{title}」" if title else label
    return f"{text}（{LIST_SEPARATOR.join(details)}）" if details else text


def kind_label(kind: str) -> str:
    return vocabulary_text(kind_spec(kind).label)


def field_label(kind: str, field: str) -> str:
    """The field as the form names it; an assessment answer by its item code."""
    if field == "*":
        return QCoreApplication.translate("conflicts", "記録全体")
    if field.startswith(SCORES_PREFIX):
        return QCoreApplication.translate("conflicts", "回答 {item}").format(
            item=field.removeprefix(SCORES_PREFIX)
        )
    try:
        return kind_spec(kind).field(field).label
    except DomainError:
        return field


def is_long_text(kind: str, field: str) -> bool:
    if field == "*" or field.startswith(SCORES_PREFIX):
        return False
    try:
        return kind_spec(kind).field(field).type is FieldType.LONG_TEXT
    except DomainError:
        return False


def value_text(kind: str, field: str, value: Any, reading: AnswerReading | None = None) -> str:
    """One field's value in words; empty values say so. ``reading``: a survey response's
    answers by their labels (else as stored)."""
    if value is None or value == "" or value == [] or value == {}:
        return QCoreApplication.translate("conflicts", "（空）")
    spec = None
    if not field.startswith(SCORES_PREFIX):
        try:
            spec = kind_spec(kind).field(field)
        except DomainError:
            spec = None
    if spec is not None and spec.choices and isinstance(value, str) and value in spec.choices:
        return vocabulary_text(spec.choices[value])
    if spec is not None and spec.type is FieldType.LEVEL and isinstance(value, int):
        return level_text(value)
    if spec is not None and spec.type is FieldType.FISCAL_YEAR and isinstance(value, int):
        return fiscal_year_text(value)
    if spec is not None and spec.type is FieldType.ANSWERS and isinstance(value, Mapping):
        return answers_text(value, reading)
    if spec is not None and spec.type is FieldType.ATTENDANCE and isinstance(value, Mapping):
        return attendance_text(value)
    if spec is not None and spec.type is FieldType.TARGETS and isinstance(value, Mapping):
        return targets_text(value)
    if spec is not None and spec.type is FieldType.CODE_LIST and isinstance(value, list):
        return LIST_SEPARATOR.join(_municipality(str(code)) for code in value)
    if spec is not None and spec.type is FieldType.MUNICIPALITY and isinstance(value, str):
        return _municipality(value)
    if spec is not None and spec.type is FieldType.MONTHS and isinstance(value, int):
        return cadence_text(value)
    if spec is not None and spec.type is FieldType.SURVEY_DEFINITION:
        definition = _definition_or_none(value)
        if definition is not None:
            return definition_text(definition)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, Mapping):
        return LIST_SEPARATOR.join(f"{k}: {v}" for k, v in value.items())
    return str(value)


@cache
def _roster_names() -> dict[str, str]:
    return {m.code: m.name for m in load_roster()}


def _municipality(code: str) -> str:
    """A municipality by its name (the code when the roster lacks it)."""
    return _roster_names().get(code, code)


def attendance_text(attendance: Mapping[str, Any]) -> str:
    """An event's attendance: 「和歌山市 3名、海南市 2名」."""
    each = QCoreApplication.translate("conflicts", "{municipality} {people}名")
    return LIST_SEPARATOR.join(
        each.format(municipality=_municipality(str(code)), people=people)
        for code, people in attendance.items()
    )


def targets_text(targets: Mapping[str, Any]) -> str:
    """A year's plan by its targets' labels: 「地域別よろず相談（振興局ごと） 2回、…」."""
    each = QCoreApplication.translate("conflicts", "{target} {count}回")
    return LIST_SEPARATOR.join(
        each.format(target=target_label(str(key)), count=count) for key, count in targets.items()
    )


def answer_text(answer: Any, reading: AnswerReading | None = None, code: str = "") -> str:
    """One survey answer in words: by its question's labels when ``reading`` is given (domain
    survey_labels, as the reports show it), else a yes/no as はい/いいえ, several joined."""
    if reading is not None:
        return reading.label(code, answer)
    if answer is None or answer == [] or answer == "":
        return QCoreApplication.translate("conflicts", "（未回答）")
    if isinstance(answer, bool):
        if answer:
            return QCoreApplication.translate("conflicts", "はい")
        return QCoreApplication.translate("conflicts", "いいえ")
    if isinstance(answer, list):
        return LIST_SEPARATOR.join(str(v) for v in answer)
    return str(answer)


def answers_text(answers: Mapping[str, Any], reading: AnswerReading | None = None) -> str:
    """A survey response's answers: how many, then one "question: answer" line each."""
    head = QCoreApplication.translate("conflicts", "{count} 問の回答").format(count=len(answers))
    lines = (f"{code}: {answer_text(a, reading, code)}" for code, a in answers.items())
    return "\n".join([head, *lines])


def definition_text(definition: SurveyDefinition) -> str:
    """A survey's definition by its title, year and size, not its JSON."""
    where = LIST_SEPARATOR.join(
        part for part in (fiscal_year_text(definition.fiscal_year), definition.prefecture) if part
    )
    size = QCoreApplication.translate(
        "conflicts",
        "{questions} 問・{pages} ページ（採点項目 {scored} 問）、選択肢リスト {lists} 個",
    ).format(
        questions=len(definition.questions),
        pages=len(definition.pages),
        scored=sum(q.type == "scored" for q in definition.questions),
        lists=len(definition.choice_lists),
    )
    return f"「{definition.title}」（{where}）\n{size}"


def difference_text(
    kind: str, field: str, theirs: Any, mine: Any, reading: AnswerReading | None = None
) -> str:
    """What differs between two values of a field that holds a whole structure (a survey's
    answers, a survey's definition), shown beside the two values; "" for any other field."""
    try:
        field_type = kind_spec(kind).field(field).type
    except DomainError:
        return ""
    if field_type is FieldType.ANSWERS:
        return _answers_difference(
            theirs if isinstance(theirs, Mapping) else {},
            mine if isinstance(mine, Mapping) else {},
            reading,
        )
    if field_type is FieldType.SURVEY_DEFINITION:
        return _definitions_difference(_definition_or_none(theirs), _definition_or_none(mine))
    return ""


def _answers_difference(
    theirs: Mapping[str, Any], mine: Mapping[str, Any], reading: AnswerReading | None
) -> str:
    codes = [c for c in dict.fromkeys([*mine, *theirs]) if theirs.get(c) != mine.get(c)]
    if not codes:
        return QCoreApplication.translate("conflicts", "回答に違いはありません")
    head = QCoreApplication.translate(
        "conflicts", "回答が {count} 問で異なります（{codes}）"
    ).format(count=len(codes), codes=LIST_SEPARATOR.join(codes))
    line = QCoreApplication.translate("conflicts", "{code}: 相手「{theirs}」／自分「{mine}」")
    lines = [
        line.format(
            code=code,
            theirs=_shortened(answer_text(theirs.get(code), reading, code)),
            mine=_shortened(answer_text(mine.get(code), reading, code)),
        )
        for code in codes[:DIFFERENCES_SHOWN]
    ]
    return "\n".join([head, *lines, *_more(len(codes))])


def _definitions_difference(theirs: SurveyDefinition | None, mine: SurveyDefinition | None) -> str:
    unreadable = QCoreApplication.translate("conflicts", "（読めない定義）")
    lines = [
        QCoreApplication.translate("conflicts", "相手の定義: {text}").format(
            text=_one_line(theirs) if theirs else unreadable
        ),
        QCoreApplication.translate("conflicts", "自分の定義: {text}").format(
            text=_one_line(mine) if mine else unreadable
        ),
    ]
    if theirs is not None and mine is not None:
        changes = definition_changes(theirs, mine)
        if changes:
            lines.append(
                QCoreApplication.translate(
                    "conflicts", "相手の定義から自分の定義への違い（{count} 件）:"
                ).format(count=len(changes))
            )
            lines += [_shortened(str(c), 80) for c in changes[:DIFFERENCES_SHOWN]]
            lines += _more(len(changes))
    return "\n".join(lines)


def _one_line(definition: SurveyDefinition) -> str:
    return QCoreApplication.translate("conflicts", "「{title}」 {questions} 問").format(
        title=definition.title, questions=len(definition.questions)
    )


def _more(count: int) -> list[str]:
    if count <= DIFFERENCES_SHOWN:
        return []
    return [
        QCoreApplication.translate("conflicts", "ほか {count} 件").format(
            count=count - DIFFERENCES_SHOWN
        )
    ]


def _shortened(text: str, limit: int = 40) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _definition_or_none(value: Any) -> SurveyDefinition | None:
    try:
        return definition_from_json(value)
    except DomainError:
        return None


def record_text(kind: str, values: Any) -> str:
    """A whole record (or the fields of one change), one "label: value" line per field."""
    if not isinstance(values, Mapping):
        return QCoreApplication.translate("conflicts", "（なし）")
    spec: KindSpec = kind_spec(kind)
    order = {name: index for index, name in enumerate(spec.field_names)}
    names = sorted(
        (n for n in values if n != "op"), key=lambda n: order.get(n.split(".")[0], len(order))
    )
    if not names:
        return QCoreApplication.translate("conflicts", "（項目の変更なし）")
    return "\n".join(f"{field_label(kind, n)}: {value_text(kind, n, values[n])}" for n in names)


def proposal(base: Any, theirs: Any, mine: Any, *, theirs_name: str, mine_name: str) -> str:
    """The merged text where the edits do not overlap; where they do, both versions, marked."""
    base, theirs, mine = (v if isinstance(v, str) else "" for v in (base, theirs, mine))
    merged = merge_text(base, theirs, mine)
    if merged is not None:
        return merged
    lines: list[str] = []
    merger = merge3.Merge3(
        base.splitlines(keepends=True),
        theirs.splitlines(keepends=True),
        mine.splitlines(keepends=True),
    )
    for group in merger.merge_groups():
        if group[0] != "conflict":
            lines.extend(group[1])
            continue
        _kind, _base, their_lines, my_lines = group
        lines.append(
            QCoreApplication.translate("conflicts", "【{name} の版】").format(name=theirs_name)
            + "\n"
        )
        lines.extend(_ended(their_lines))
        lines.append(
            QCoreApplication.translate("conflicts", "【{name} の版】").format(name=mine_name) + "\n"
        )
        lines.extend(_ended(my_lines))
        lines.append(QCoreApplication.translate("conflicts", "【ここまで】") + "\n")
    return "".join(lines)


def _ended(lines: Sequence[str]) -> list[str]:
    """Lines each ending in a newline, so that a marker never joins the last one."""
    if lines and not lines[-1].endswith("\n"):
        return [*lines[:-1], lines[-1] + "\n"]
    return list(lines)

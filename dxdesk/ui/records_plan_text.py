"""The words and counts of a records plan for a person: what it writes by kind and municipality
(a visit's interview notes and follow-ups counted under the visit's municipality), the rows that
write, and the lines of the confirm and done pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication

from dxdesk.domain.records import kind_spec
from dxdesk.domain.roster import Municipality
from dxdesk.imports.records_plan import WRITES, RecordsPlan, RowChange
from dxdesk.ui.format import QT_TRANSLATE_NOOP, vocabulary_text
from dxdesk.ui.records_wizard_pages import field_labels, kind_text, place_text, translated

ACTIONS = {
    "create": QT_TRANSLATE_NOOP("RecordsImport", "新規"),
    "update": QT_TRANSLATE_NOOP("RecordsImport", "更新"),
    "unchanged": QT_TRANSLATE_NOOP("RecordsImport", "変更なし"),
    "deleted": QT_TRANSLATE_NOOP("RecordsImport", "削除済み"),
}
RECORD_KEYS = ("date", "title", "name", "description")  # what names a record in the list


def place_counts(plan: RecordsPlan) -> dict[str | None, dict[str, Counter[str]]]:
    """Municipality code -> record kind (the plan's, then its rows' children) -> action -> count:
    a visit's interview note and follow-up count under the visit's municipality."""
    counts: dict[str | None, dict[str, Counter[str]]] = {}
    for change in plan.changes:
        kinds = counts.setdefault(change.municipality, {})
        kinds.setdefault(plan.kind, Counter())[change.action] += 1
        for child in change.children:
            kinds.setdefault(child.kind, Counter())[child.action] += 1
    return counts


def kind_order(plan: RecordsPlan) -> list[str]:
    """The plan's kind, then the child kinds its rows hold (in the sheet's field order)."""
    return [plan.kind, *plan.child_counts()]


def count_records(plan: RecordsPlan, roster: tuple[Municipality, ...]) -> list[dict[str, Any]]:
    """A row per municipality in the roster's order (県全体 last) and kind of record (a visit's
    notes and follow-ups below it), then the totals by kind."""
    counts = place_counts(plan)
    places = sorted_places(counts, roster)
    kinds = kind_order(plan)
    rows: list[dict[str, Any]] = []
    totals: dict[str, Counter[str]] = {kind: Counter() for kind in kinds}
    for code in places:
        first = True
        for kind in kinds:
            if kind not in counts[code]:
                continue
            by_action = counts[code][kind]
            totals[kind].update(by_action)
            place = place_text(code, roster) if first else ""  # the place once, over its kinds
            row_id = f"{code}\n{kind}"
            rows.append(
                {"id": row_id, "place": place, "kind": kind_text(kind), **_counts(by_action)}
            )
            first = False
    for n, kind in enumerate(kinds):
        rows.append(
            {
                "id": f"total\n{kind}",
                "place": QCoreApplication.translate("RecordsImport", "合計") if n == 0 else "",
                "kind": kind_text(kind),
                **_counts(totals[kind]),
                "total": True,
            }
        )
    return rows


def _counts(by_action: Mapping[str, int]) -> dict[str, int]:
    return {action: by_action.get(action, 0) for action in ACTIONS}


def change_records(plan: RecordsPlan, roster: tuple[Municipality, ...]) -> list[dict[str, Any]]:
    """The rows that write something, their notes and follow-ups included, or keep a value of
    the app's that the file would change, or that an earlier deletion keeps out."""
    labels = field_labels(plan.kind)
    return [
        {
            "id": c.row,
            "row": c.row,
            "place": place_text(c.municipality, roster),
            "action": ACTIONS[c.action],
            "record": record_text(c),
            "changed": changed_text(c, labels),
            "kept": "、".join(kept_labels(c, labels)),
        }
        for c in plan.changes
        if c.writes or c.action == "deleted" or kept_labels(c, labels)
    ]


def kept_labels(change: RowChange, labels: dict[str, str]) -> list[str]:
    """The fields whose cell differs from a record no import wrote here: the app's value stays
    (it may have been typed after the file was made), the children's fields too."""
    kept = [labels.get(name, name) for name in change.kept]
    for child in change.children:
        kept += [labels.get(f"{child.kind}.{name}", name) for name in child.kept]
    return kept


def record_text(change: RowChange) -> str:
    return " ".join(str(change.values[k]) for k in RECORD_KEYS if change.values.get(k))


def changed_text(change: RowChange, labels: dict[str, str]) -> str:
    """ "件名、概要" for an update; "ヒアリング 新規" or "フォローアップ 更新（内容）" for a child
    record it writes."""
    parts = [labels.get(name, name) for name in change.changed] if change.action == "update" else []
    for child in change.children:
        if child.action in WRITES:
            text = f"{kind_text(child.kind)} {translated(ACTIONS[child.action])}"
            if child.action == "update" and child.changed:
                spec = kind_spec(child.kind)
                names = "、".join(vocabulary_text(spec.field(f).label) for f in child.changed)
                text += f"（{names}）"
            parts.append(text)
    return "、".join(parts)


def writes_text(kind: str, counts: Mapping[str, Mapping[str, int]]) -> str:
    """ "相談記録を新規 3 件・更新 0 件、ヒアリングを新規 2 件": ``kind``'s creates and updates,
    then those of each other kind in ``counts`` (kind -> action -> count) that writes any."""
    both = QCoreApplication.translate(
        "RecordsImport", "{kind}を新規 {created} 件・更新 {updated} 件"
    )
    only_created = QCoreApplication.translate("RecordsImport", "{kind}を新規 {created} 件")
    only_updated = QCoreApplication.translate("RecordsImport", "{kind}を更新 {updated} 件")
    parts = []
    for name in dict.fromkeys([kind, *counts]):
        created, updated = (
            counts.get(name, {}).get("create", 0),
            counts.get(name, {}).get("update", 0),
        )
        label = kind_text(name)
        if name == kind or (created and updated):
            parts.append(both.format(kind=label, created=created, updated=updated))
        elif created:
            parts.append(only_created.format(kind=label, created=created))
        elif updated:
            parts.append(only_updated.format(kind=label, updated=updated))
    return "、".join(parts)


def plan_counts(plan: RecordsPlan) -> dict[str, dict[str, int]]:
    """Record kind -> action -> count over the whole plan, its rows' children included."""
    own = {action: plan.count(action) for action in ACTIONS}
    return {plan.kind: own, **plan.child_counts()}


def sorted_places(
    codes: Collection[str | None], roster: tuple[Municipality, ...]
) -> list[str | None]:
    """In the roster's order, 県全体 (None) last."""
    order = {m.code: n for n, m in enumerate(roster)}
    return sorted(codes, key=lambda code: (code is None, order.get(code or "", len(order))))


def totals_text(plan: RecordsPlan) -> str:
    text = QCoreApplication.translate(
        "RecordsImport", "シート「{sheet}」を取り込むと、{writes}書き込みます（変更なし {same} 件）"
    ).format(
        sheet=plan.sheet,
        writes=writes_text(plan.kind, plan_counts(plan)),
        same=plan.count("unchanged"),
    )
    if plan.count("deleted"):
        text += QCoreApplication.translate(
            "RecordsImport", "（削除済みの {count} 件は取り込みません）"
        ).format(count=plan.count("deleted"))
    text += QCoreApplication.translate("RecordsImport", "。まだ何も書き込んでいません。")
    labels = field_labels(plan.kind)
    kept = [c.row for c in plan.changes if kept_labels(c, labels)]
    if kept:
        text += "\n" + QCoreApplication.translate(
            "RecordsImport",
            "アプリの内容を残す行: {rows}（この PC で取り込んだ記録ではないため、ファイルの値で"
            "上書きしません）",
        ).format(rows="、".join(str(r) for r in kept))
    if plan.skipped:
        text += "\n" + QCoreApplication.translate(
            "RecordsImport", "除いた行（取り込みません）: {rows}"
        ).format(rows="、".join(str(r) for r in sorted(plan.skipped)))
    return text

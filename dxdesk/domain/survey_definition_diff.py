"""What changed between two definitions of a survey, question by question.

Shown when a definition is loaded over an earlier one, so the secretariat sees what the answers
already imported were asked (they stay readable under their own definition). Only what changes
how an answer reads is reported: a question added or removed, its text, its type (a number's
unit with it), its choices, its page or section, its assessment item. Whether it is required,
its help and its 要確認 mark are the form's concern and left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from dxdesk.domain.survey_definition import (
    CHOICE_TYPES,
    QUESTION_TYPES,
    Choice,
    Question,
    SurveyDefinition,
)

CHANGE_KINDS: Final = ("added", "removed", "text", "type", "choices", "page", "item")
CHANGE_LABELS: Final = {
    "added": "追加",
    "removed": "削除",
    "text": "設問文",
    "type": "形式",
    "choices": "選択肢",
    "page": "ページ",
    "item": "項目",
}


@dataclass(frozen=True)
class DefinitionChange:
    code: str  # the question's code
    what: str  # one of CHANGE_KINDS
    detail: str  # in words: 「旧」→「新」

    def as_json(self) -> dict[str, str]:
        return {"code": self.code, "what": self.what, "detail": self.detail}

    def __str__(self) -> str:
        return f"{self.code} {CHANGE_LABELS[self.what]}: {self.detail}"


def definition_changes(old: SurveyDefinition, new: SurveyDefinition) -> list[DefinitionChange]:
    """The changes from ``old`` to ``new``: ``new``'s questions in order, then those removed."""
    changes: list[DefinitionChange] = []
    for question in new.questions:
        before = old.by_code.get(question.code)
        if before is None:
            changes.append(DefinitionChange(question.code, "added", _describe(question)))
        else:
            changes += _question_changes(old, before, new, question)
    for question in old.questions:
        if question.code not in new.by_code:
            changes.append(DefinitionChange(question.code, "removed", _describe(question)))
    return changes


def _question_changes(
    old: SurveyDefinition, before: Question, new: SurveyDefinition, after: Question
) -> list[DefinitionChange]:
    code = after.code
    changes = []
    if before.text != after.text:
        changes.append(DefinitionChange(code, "text", f"「{before.text}」→「{after.text}」"))
    if (before.type, before.unit) != (after.type, after.unit):
        changes.append(DefinitionChange(code, "type", f"{_kind(before)} → {_kind(after)}"))
    if before.type in CHOICE_TYPES or after.type in CHOICE_TYPES:
        was, now = old.choices_of(before), new.choices_of(after)
        if was != now:
            changes.append(DefinitionChange(code, "choices", _choices_detail(was, now)))
    if (before.page, before.section) != (after.page, after.section):
        changes.append(DefinitionChange(code, "page", f"{_place(before)} → {_place(after)}"))
    if before.item != after.item:
        changes.append(
            DefinitionChange(code, "item", f"{before.item or 'なし'} → {after.item or 'なし'}")
        )
    return changes


def _choices_detail(was: tuple[Choice, ...], now: tuple[Choice, ...]) -> str:
    old_labels = {c.value: c.label for c in was}
    new_labels = {c.value: c.label for c in now}
    parts = []
    added = [new_labels[v] for v in new_labels if v not in old_labels]
    removed = [old_labels[v] for v in old_labels if v not in new_labels]
    relabelled = [
        f"「{old_labels[v]}」→「{new_labels[v]}」"
        for v in new_labels
        if v in old_labels and old_labels[v] != new_labels[v]
    ]
    if added:
        parts.append("追加 " + "、".join(f"「{label}」" for label in added))
    if removed:
        parts.append("削除 " + "、".join(f"「{label}」" for label in removed))
    if relabelled:
        parts.append("表示の変更 " + "、".join(relabelled))
    if not parts:  # same choices, another order
        parts.append("並び順の変更")
    return "／".join(parts)


def _kind(question: Question) -> str:
    label = QUESTION_TYPES[question.type]
    return f"{label}（{question.unit}）" if question.unit else label


def _place(question: Question) -> str:
    return (
        f"{question.page} ページ「{question.section}」"
        if question.section
        else f"{question.page} ページ"
    )


def _describe(question: Question) -> str:
    return f"{_place(question)}、{_kind(question)}「{question.text}」"

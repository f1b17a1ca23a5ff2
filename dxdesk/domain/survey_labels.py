"""A survey answer as a person reads it, the one way every place shows it (the reports, the
survey status and responses, the sync conflict dialog): a choice by its label, a yes/no as
はい/いいえ, a score with its scale's label (「3 推進している」), a number with its unit
(「2,039人」), a date in 和暦 or ISO. A value that does not fit its question (the definition
changed since, or it lacks the question) is shown as stored rather than hidden."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Final, Literal

from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.errors import CatalogError, UnknownItem
from dxdesk.domain.fiscal_year import format_date_ja
from dxdesk.domain.survey_definition import Choice, Question, SurveyDefinition
from dxdesk.domain.survey_values import AnswerValue

YES: Final = "はい"
NO: Final = "いいえ"
YES_NO_CHOICES: Final = (Choice("true", YES), Choice("false", NO))
NO_ANSWER: Final = "（無回答）"
LIST_SEPARATOR: Final = "、"
DateStyle = Literal["ja", "iso"]


def answer_label(
    question: Question | None,
    definition: SurveyDefinition | None,
    value: AnswerValue | None,
    *,
    catalog: Catalog | None = None,
    dates: DateStyle = "ja",
    blank: str = NO_ANSWER,
) -> str:
    """``value`` in words. ``catalog``: where a scored question's scale comes from (without
    it a score is its digits); ``dates``: 「令和5年3月31日」 or 「2023-03-31」."""
    if value is None or value == "" or value == []:
        return blank
    if question is not None:
        kind = question.type
        number = _number(value)
        if kind == "scored" and number is not None and catalog is not None:
            scale_label = _scale_label(catalog, question, number)
            if scale_label is not None:
                return f"{number_text(number)} {scale_label}"
        if kind in ("single", "multiple") and definition is not None:
            labels = {c.value: c.label for c in definition.choices_of(question)}
            picked = value if isinstance(value, list) else [value]
            return LIST_SEPARATOR.join(labels.get(_key(v), _key(v)) for v in picked)
        if kind == "number" and number is not None:
            return f"{number_text(number)}{question.unit}"
        if kind == "date" and isinstance(value, str) and dates == "ja":
            try:
                return format_date_ja(date.fromisoformat(value))
            except ValueError:
                return value
    return plain_text(value)


def plain_text(value: AnswerValue) -> str:
    """A value without its question: はい/いいえ, a list joined, a number as written."""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    if isinstance(value, int | float):
        return number_text(value)
    return value


def number_text(value: float | None) -> str:
    """A number as written in a table: grouped, whole numbers without ".0", others to two
    places; 「—」 for none."""
    if value is None:
        return "—"
    if isinstance(value, int):
        return f"{value:,}"
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@cache
def scale_catalog(version: str | None) -> Catalog | None:
    """The catalog a definition's scored questions come from, else the latest one (None when
    neither loads: scores then read as their digits)."""
    try:
        return load_catalog(version)
    except CatalogError:
        try:
            return load_catalog()
        except CatalogError:
            return None


def _scale_label(catalog: Catalog, question: Question, value: int | float) -> str | None:
    try:
        scale = catalog.item(question.item or question.code).scale
    except UnknownItem:
        return None
    if not float(value).is_integer() or int(value) not in scale.values:
        return None
    return scale.label_for(int(value))


def _key(value: AnswerValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value: AnswerValue) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value

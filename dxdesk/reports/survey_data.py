"""The survey answers of a fiscal year as the comparison reports read them (no drawing).

Each response is read under its own definition (the one it was imported with); a group's
figures for a question gather the answers of every response whose definition asks a question
of that code and type, so a question reworded between definitions still counts together, and
one its definition lacks is not counted as left blank.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from dxdesk.domain.catalog import Item
from dxdesk.domain.errors import UnknownItem
from dxdesk.domain.survey_definition import CHOICE_TYPES, Choice, Question, SurveyDefinition
from dxdesk.domain.survey_labels import LIST_SEPARATOR as LIST_SEPARATOR
from dxdesk.domain.survey_labels import NO_ANSWER as NO_ANSWER
from dxdesk.domain.survey_labels import YES_NO_CHOICES, answer_label, scale_catalog
from dxdesk.domain.survey_labels import number_text as number_text
from dxdesk.domain.survey_stats import (
    Distribution,
    NumberSummary,
    ScoredSummary,
    choice_distribution,
    multiple_distribution,
    number_summary,
    scored_summary,
    value_key,
)
from dxdesk.domain.survey_values import AnswerValue
from dxdesk.reports.document import ReportError
from dxdesk.services.survey_access import sees_whole_prefecture
from dxdesk.services.survey_definitions import ResponseDefinitions
from dxdesk.services.survey_responses import StoredResponse, responses_for_year
from dxdesk.services.workspace import Workspace

Figures = Distribution | NumberSummary | ScoredSummary | None  # None: a date or a text
NOT_WHOLE_PREFECTURE = (
    "県全体の集計は事務局の端末で作成してください（この端末には担当の市町村の回答しかありません）"
)


@dataclass(frozen=True)
class ReadResponse:
    response: StoredResponse
    definition: SurveyDefinition
    region: str  # the municipality's 振興局

    @property
    def code(self) -> str:
        return self.response.municipality

    @property
    def name(self) -> str:
        return self.response.name

    def answer(self, question: Question) -> AnswerValue | None:
        """Its answer to a question of that code and type, None if blank."""
        asked = self.definition.by_code.get(question.code)
        if asked is None or asked.type != question.type:
            return None
        return self.response.answers.get(question.code)

    def asks(self, question: Question) -> bool:
        asked = self.definition.by_code.get(question.code)
        return asked is not None and asked.type == question.type


@dataclass(frozen=True)
class SurveyYear:
    fiscal_year: int
    responses: list[ReadResponse]  # one per municipality that answered, in code order
    roster: list[tuple[str, str, str]]  # every municipality: (code, name, region)
    # Figures already gathered, by (definition, question code and type, region or None): a
    # batch's reports share the prefecture's and each region's figures.
    _figures: dict[tuple[int, str, str, str | None], tuple[SurveyDefinition, Figures]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def response_of(self, code: str) -> ReadResponse | None:
        return next((r for r in self.responses if r.code == code), None)

    def in_region(self, region: str) -> list[ReadResponse]:
        return [r for r in self.responses if r.region == region]

    def figures_of(
        self, question: Question, definition: SurveyDefinition, region: str | None = None
    ) -> Figures:
        """The figures of ``question`` (read against ``definition``'s choices) over the
        prefecture's responses, or ``region``'s; gathered once per year read."""
        key = (id(definition), question.code, question.type, region)
        known = self._figures.get(key)
        if known is not None and known[0] is definition:  # not another one at a reused id
            return known[1]
        group = self.responses if region is None else self.in_region(region)
        shown = figures(question, definition, group_answers(question, group))
        self._figures[key] = (definition, shown)  # held, so its id stays its own
        return shown


def require_whole_prefecture(workspace: Workspace) -> None:
    """The prefecture's figures, the 未回答 list and 「n / 30」 need every municipality's answers;
    an advisor's folder holds only its own municipalities' (they would read as the prefecture)."""
    if not sees_whole_prefecture(workspace.store):
        raise ReportError(NOT_WHOLE_PREFECTURE)


def survey_year(workspace: Workspace, fiscal_year: int) -> SurveyYear:
    """Every response of the year, each with its definition and its municipality's region.
    Refused (ReportError) in a folder that does not see the whole prefecture."""
    require_whole_prefecture(workspace)
    municipalities = workspace.municipalities.overview(assigned_only=False)
    roster = [(str(m["code"]), str(m["name"]), str(m["region"])) for m in municipalities]
    regions = {code: region for code, _name, region in roster}
    definitions = ResponseDefinitions(workspace.store, fiscal_year)
    read = [
        ReadResponse(
            response,
            definitions.of(response.definition_id).definition,
            regions.get(response.municipality, ""),
        )
        for response in responses_for_year(workspace.store, fiscal_year)
    ]
    return SurveyYear(fiscal_year, read, roster)


def group_answers(question: Question, group: Iterable[ReadResponse]) -> list[AnswerValue | None]:
    """The answer of each response in ``group`` whose definition asks ``question``."""
    return [r.answer(question) for r in group if r.asks(question)]


def figures(
    question: Question, definition: SurveyDefinition, answers: Sequence[AnswerValue | None]
) -> Figures:
    if question.type == "single":
        return choice_distribution(definition.choices_of(question), answers)
    if question.type == "multiple":
        return multiple_distribution(definition.choices_of(question), answers)
    if question.type == "yes_no":
        return choice_distribution(YES_NO_CHOICES, answers)
    if question.type == "number":
        return number_summary(answers)
    if question.type == "scored":
        scale, maximum = score_scale(definition, question)
        return scored_summary(scale, maximum, answers)
    return None


def choice_list(question: Question, definition: SurveyDefinition) -> tuple[Choice, ...]:
    """The choices a question's answers are read against (a score's are its scale's)."""
    if question.type in CHOICE_TYPES:
        return definition.choices_of(question)
    if question.type == "yes_no":
        return YES_NO_CHOICES
    if question.type == "scored":
        return score_scale(definition, question)[0]
    return ()


def chosen_keys(value: AnswerValue | None) -> set[str]:
    """The choice values an answer picked (none for a blank)."""
    if value is None:
        return set()
    if isinstance(value, list):
        return {value_key(v) for v in value}
    return {value_key(value)}


def score_scale(definition: SurveyDefinition, question: Question) -> tuple[tuple[Choice, ...], int]:
    """A scored question's scale as choices ("2" -> its label) and its top score."""
    item = _catalog_item(definition.catalog_version, question.item or question.code)
    if item is None:
        return tuple(Choice(str(v), f"{v} 点") for v in range(4)), 3
    choices = tuple(Choice(str(o.value), f"{o.value}　{o.label}") for o in item.scale.options)
    return choices, item.scale.maximum


def answer_text(question: Question, definition: SurveyDefinition, value: AnswerValue | None) -> str:
    """An answer as a person reads it (domain/survey_labels): choices by their labels, a score
    with its scale's label, a number with its unit, a date in 和暦."""
    return answer_label(
        question, definition, value, catalog=scale_catalog(definition.catalog_version)
    )


def _catalog_item(version: str | None, code: str) -> Item | None:
    catalog = scale_catalog(version)
    if catalog is None:
        return None
    try:
        return catalog.item(code)
    except UnknownItem:
        return None

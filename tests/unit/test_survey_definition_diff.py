"""What changed between two definitions of a survey, question by question."""

from __future__ import annotations

from dataclasses import replace

from dxdesk.domain.survey_definition import Choice, Question, SurveyDefinition
from dxdesk.domain.survey_definition_diff import DefinitionChange, definition_changes

STAFFING = (Choice("a", "専任"), Choice("b", "兼任"))
OLD = SurveyDefinition(
    2024,
    "和歌山県",
    "R6",
    (
        Question("Q1", 1, "体制", "DX推進計画を策定していますか？", "scored", item="1-1"),
        Question("Q2", 1, "体制", "推進体制", "single", choices="staffing"),
        Question("Q3", 2, "人材", "DX担当の職員数", "number", unit="人"),
        Question("Q4", 2, "人材", "ご意見", "text"),
    ),
    {"staffing": STAFFING},
)


def changed(**questions: Question) -> SurveyDefinition:
    return replace(OLD, questions=tuple(questions.get(q.code, q) for q in OLD.questions))


def test_the_same_definition_has_no_changes() -> None:
    assert definition_changes(OLD, OLD) == []


def test_help_required_and_to_confirm_are_not_changes_of_meaning() -> None:
    q4 = replace(OLD.by_code["Q4"], help="自由に", required=True, to_confirm=True)
    assert definition_changes(OLD, changed(Q4=q4)) == []


def test_added_and_removed_questions_in_order() -> None:
    new = replace(
        OLD,
        questions=(
            Question("Q0", 1, "体制", "回答日", "date"),
            *OLD.questions[:3],
        ),
    )
    changes = definition_changes(OLD, new)
    assert [(c.code, c.what) for c in changes] == [("Q0", "added"), ("Q4", "removed")]
    assert "回答日" in changes[0].detail and "日付" in changes[0].detail
    assert "ご意見" in changes[1].detail


def test_text_type_unit_page_and_item_are_each_named() -> None:
    new = changed(
        Q1=replace(OLD.by_code["Q1"], item="1-2"),
        Q3=replace(OLD.by_code["Q3"], unit="千人", page=3, section="職員"),
        Q4=replace(OLD.by_code["Q4"], text="ご意見・ご要望", type="multiple", choices="staffing"),
    )
    changes = definition_changes(OLD, new)
    assert [(c.code, c.what) for c in changes] == [
        ("Q1", "item"),
        ("Q3", "type"),
        ("Q3", "page"),
        ("Q4", "text"),
        ("Q4", "type"),
        ("Q4", "choices"),
    ]
    assert changes[0].detail == "1-1 → 1-2"
    assert changes[1].detail == "数値（人） → 数値（千人）"
    assert changes[2].detail == "2 ページ「人材」 → 3 ページ「職員」"
    assert changes[3].detail == "「ご意見」→「ご意見・ご要望」"
    assert changes[4].detail == "自由記述 → 複数選択"
    assert str(changes[0]) == "Q1 項目: 1-1 → 1-2"


def test_choices_added_removed_relabelled_or_reordered() -> None:
    def with_staffing(*choices: Choice) -> SurveyDefinition:
        return replace(OLD, choice_lists={"staffing": choices})

    [change] = definition_changes(
        OLD, with_staffing(Choice("a", "専任の部署"), Choice("c", "委託"))
    )
    assert change == DefinitionChange(
        "Q2", "choices", "追加 「委託」／削除 「兼任」／表示の変更 「専任」→「専任の部署」"
    )
    [change] = definition_changes(OLD, with_staffing(*reversed(STAFFING)))
    assert change.detail == "並び順の変更"
    assert change.as_json() == {"code": "Q2", "what": "choices", "detail": "並び順の変更"}


def test_another_list_with_the_same_choices_is_no_change() -> None:
    new = replace(
        changed(Q2=replace(OLD.by_code["Q2"], choices="staff")),
        choice_lists={"staff": STAFFING},
    )
    assert definition_changes(OLD, new) == []

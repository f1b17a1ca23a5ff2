"""One way to show a survey answer: labels, units, scales and dates, everywhere."""

from __future__ import annotations

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.survey_definition import definition_from_json
from dxdesk.domain.survey_labels import answer_label
from tests.reports.survey_answers import definition_json

DEFINITION = definition_from_json(definition_json())
CATALOG = load_catalog("2024")


def label(code: str, value: object, **more: object) -> str:
    return answer_label(DEFINITION.question(code), DEFINITION, value, catalog=CATALOG, **more)  # type: ignore[arg-type]


def test_each_type_reads_as_a_person_reads_it() -> None:
    assert label("Q1-1", 3).startswith("3 ") and label("Q1-1", 9) == "9"  # off the scale
    assert label("Q1-2", "a") == "専任の部署" and label("Q1-2", "zz") == "zz"
    assert label("Q1-3", ["w", "f"]) == "窓口、防災"
    assert label("Q1-4", 2039) == "2,039人" and label("Q1-4", 2.0) == "2人"
    assert label("Q2-1", True) == "はい" and label("Q2-1", False) == "いいえ"
    assert label("Q2-2", "2023-03-31") == "令和5年3月31日"
    assert label("Q2-2", "2023-03-31", dates="iso") == "2023-03-31"
    assert label("Q2-3", None) == "（無回答）" and label("Q2-3", "", blank="") == ""
    assert answer_label(None, None, ["a", "b"]) == "a、b"  # a question the definition lacks

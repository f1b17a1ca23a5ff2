"""How a record's fields refuse bad input: the reason a window shows after the field's label
never repeats that label nor names the field internally, and dates keep to the years the
programme records (a 1752 or a slip like 1925 for 2025 is refused at once, saying why)."""

from __future__ import annotations

from datetime import date

import pytest

from dxdesk.domain.errors import DomainError
from dxdesk.domain.record_fields import clean_fields, clean_value
from dxdesk.domain.records import (
    FIRST_RECORD_DATE,
    KINDS,
    LAST_RECORD_DATE,
    FieldSpec,
    FieldType,
    kind_spec,
)

TOO_LONG = "あ" * 200_001
# Bad values each type of field refuses: a wrong type, text that cannot be read, too much.
BAD_VALUES: dict[FieldType, tuple[object, ...]] = {
    FieldType.TEXT: (12, TOO_LONG),
    FieldType.LONG_TEXT: (12, TOO_LONG),
    FieldType.DATE: ("xx", "2025-13-01", 20250612, "1752-01-01", "2101-04-01"),
    FieldType.STR_LIST: ("xx", [1], ["x"] * 201, ["あ" * 501]),
    FieldType.CHOICE: ("xx", 3),
    FieldType.MUNICIPALITY: ("xx", "302016", 1.5, ["302015"]),
    FieldType.REF: ("xx", 3),
    FieldType.SCORES: ("xx", [1]),
    FieldType.LEVEL: ("xx", 5, True),
    FieldType.FISCAL_YEAR: ("xx", 1900, True, 1.5),
    FieldType.CODE_LIST: ("xx", ["xx"], ["302016"]),
    FieldType.PEOPLE: ("xx", ["xx"], [{"name": 3}], [{"role": "課長"}], [{"age": "3"}]),
    FieldType.REF_LIST: ("xx", ["xx"]),
    FieldType.BYTE_COUNT: ("xx", -1, True, 1.5, 1 << 40),
    FieldType.SHA256: ("xx", 3, "a" * 63, "g" * 64),
    FieldType.SURVEY_DEFINITION: (
        "xx",
        [1],
        {"fiscal_year": 2024, "questions": []},
        {"fiscal_year": 2024, "questions": [{"code": "Q1", "page": 1, "text": "x", "type": "?"}]},
        {
            "fiscal_year": 2024,
            "questions": [
                {"code": "Q1", "page": 1, "text": "x", "type": "single", "choices": "none"}
            ],
        },
    ),
    FieldType.ANSWERS: (
        "xx",
        [1],
        {"Q 1": 1},
        {"Q1": {"a": 1}},
        {"Q1": "x" * 20_001},
        {"Q1": 10**400},  # every report's statistics are floats
        {"Q1": float("nan")},
        {f"Q{n}": "x" * 20_000 for n in range(51)},  # over a million characters in all
    ),
    FieldType.TIME: ("xx", "24:00", "9:60", 930, "9時30分"),
    FieldType.MONTHS: ("xx", 0, 25, -1, True, 1.5),
    FieldType.ATTENDANCE: ("xx", [1], {"302016": 1}, {"302015": -1}, {"302015": 10_000}),
    FieldType.TARGETS: ("xx", [1], {"nothing": 1}, {"joint_training": -1}, {"top_seminar": 1.5}),
}


def _reasons(spec: FieldSpec, value: object) -> dict[str, str]:
    with pytest.raises(DomainError) as refused:
        clean_value(spec, value)
    return refused.value.refused


def test_every_type_of_field_has_bad_values_here() -> None:
    assert set(BAD_VALUES) == set(FieldType)


@pytest.mark.parametrize(
    ("kind", "field"), [(kind, field.name) for kind in KINDS for field in KINDS[kind].fields]
)
def test_a_refusal_reason_never_repeats_the_label_nor_names_the_field(
    kind: str, field: str
) -> None:
    spec = kind_spec(kind).field(field)
    values = BAD_VALUES[spec.type] + ((None,) if spec.required else ())
    for value in values:
        refused = _reasons(spec, value)
        assert list(refused) == [spec.name], value
        reason = refused[spec.name]
        assert reason, value
        assert spec.label not in reason, (value, reason)
        assert spec.name not in reason, (value, reason)


def test_an_unreadable_date_reads_once_after_its_label() -> None:
    spec = kind_spec("visit").field("date")
    assert _reasons(spec, "xx") == {"date": "'xx' が読めません（例: 2025-04-01）"}


@pytest.mark.parametrize("when", ["1752-01-01", "1925-06-30", "1989-03-31", "2101-04-01"])
def test_a_visit_dated_outside_the_recorded_years_is_refused_saying_why(when: str) -> None:
    visit = {"municipality": "302015", "date": when}
    with pytest.raises(DomainError) as refused:
        clean_fields(kind_spec("visit"), visit, partial=False)
    reason = refused.value.refused["date"]
    assert reason.startswith(f"{when} は扱えません")
    assert "1989-04-01〜2101-03-31" in reason
    assert refused.value.labels == {"date": "日付"}
    assert "date" in str(refused.value)  # the CLI's message names the field people type


@pytest.mark.parametrize(("kind", "field"), [("followup", "due"), ("assessment", "assessed_on")])
def test_every_date_field_has_the_bounds(kind: str, field: str) -> None:
    spec = kind_spec(kind).field(field)
    assert "扱えません" in _reasons(spec, "1925-06-30")[field]
    assert clean_value(spec, FIRST_RECORD_DATE.isoformat()) == FIRST_RECORD_DATE
    assert clean_value(spec, LAST_RECORD_DATE) == LAST_RECORD_DATE


def test_the_bounds_are_the_first_and_last_fiscal_years_recorded() -> None:
    assert (date(1989, 4, 1), date(2101, 3, 31)) == (FIRST_RECORD_DATE, LAST_RECORD_DATE)


def test_a_stored_record_dated_before_the_bounds_still_reads() -> None:
    """A record saved before dates were bounded (pulled from the server, or on the device)
    loads and syncs: the bounds are for new input, the shape of a date is always checked."""
    spec = kind_spec("followup")
    stored = {"municipality": "302015", "description": "様式を送る", "due": "1925-06-30"}
    cleaned = clean_fields(spec, stored, partial=False, stored=True)
    assert cleaned["due"] == date(1925, 6, 30)
    with pytest.raises(DomainError):
        clean_fields(spec, {**stored, "due": "xx"}, partial=False, stored=True)


@pytest.mark.parametrize("field", ["themes", "municipal_attendees", "advisor_attendees"])
def test_a_stored_list_item_longer_than_the_limit_still_reads(field: str) -> None:
    """The 500-character bound on a list item came after records were stored: it is for new
    input, so a record stored with a longer item still pulls and its value is a valid base;
    the shape (strings, at most 200 items) is always checked."""
    spec = kind_spec("visit").field(field)
    long_item = "あ" * 501
    assert clean_value(spec, [long_item, "短い"], stored=True) == [long_item, "短い"]
    with pytest.raises(DomainError, match="長すぎます"):
        clean_value(spec, [long_item])
    with pytest.raises(DomainError):
        clean_value(spec, ["x"] * 201, stored=True)
    with pytest.raises(DomainError):
        clean_value(spec, [long_item, 3], stored=True)

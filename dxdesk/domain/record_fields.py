"""How raw input becomes a record's clean values, field by field along its kind's spec.

The shapes themselves (kinds, fields, limits) are in :mod:`dxdesk.domain.records`; this module
turns a person's or a peer's input into the stored form, or refuses it with a message a person
reads, and back into JSON.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import date

from dxdesk.domain.calendar_values import clean_attendance, clean_months, clean_time
from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import parse_fiscal_year
from dxdesk.domain.municipality_codes import validate_code
from dxdesk.domain.people import clean_people
from dxdesk.domain.programme_plan import clean_targets
from dxdesk.domain.records import (
    FIRST_RECORD_DATE,
    LAST_RECORD_DATE,
    LIST_LIMIT,
    LONG_TEXT_LIMIT,
    SHORT_TEXT_LIMIT,
    FieldSpec,
    FieldType,
    InvalidField,
    KindSpec,
)
from dxdesk.domain.survey_definition import definition_from_json
from dxdesk.domain.survey_values import clean_answers
from dxdesk.domain.text import normalize_digits


def _empty_value(spec: FieldSpec) -> object:
    if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT):
        return ""
    if spec.type in (FieldType.STR_LIST, FieldType.CODE_LIST, FieldType.PEOPLE, FieldType.REF_LIST):
        return []
    if spec.type in (FieldType.SCORES, FieldType.ANSWERS, FieldType.ATTENDANCE, FieldType.TARGETS):
        return {}
    if spec.type is FieldType.CHOICE:
        return spec.default_choice
    return None


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def clean_record_id(value: object) -> str:
    if isinstance(value, str) and _UUID_RE.match(value.strip().lower()):
        return value.strip().lower()
    raise InvalidField(f"id {value!r} は UUID ではありません")


def new_record_id() -> str:
    return str(uuid.uuid4())


def parse_date(value: object, *, field: str = "date") -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = normalize_digits(value).replace("/", "-")
        parts = text.split("-")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            try:
                return date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                pass
    reason = f"{value!r} が読めません（例: 2025-04-01）"
    raise InvalidField(f"{field} の日付 {reason}", refused={field: reason})


def record_date_refusal(day: date) -> str | None:
    """Why a new record cannot take this date (outside the years recorded), or None."""
    if FIRST_RECORD_DATE <= day <= LAST_RECORD_DATE:
        return None
    first, last = FIRST_RECORD_DATE.isoformat(), LAST_RECORD_DATE.isoformat()
    return f"{day.isoformat()} は扱えません（{first}〜{last} の範囲で指定してください）"


def _clean_date(spec: FieldSpec, value: object, *, stored: bool) -> date:
    day = parse_date(value, field=spec.name)
    reason = None if stored else record_date_refusal(day)
    if reason is None:
        return day
    raise InvalidField(f"{spec.name} の日付 {reason}", refused={spec.name: reason})


def _clean_text(spec: FieldSpec, value: object, limit: int) -> str:
    if not isinstance(value, str):
        raise InvalidField(f"{spec.name} は文字列で指定してください（{value!r}）")
    if len(value) > limit:
        raise InvalidField(f"{spec.name} が長すぎます（{len(value)} 文字、上限 {limit} 文字）")
    return value.strip() if spec.type is FieldType.TEXT else value


def _clean_list(spec: FieldSpec, value: object, *, stored: bool) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidField(f"{spec.name} は文字列のリストで指定してください（{value!r}）")
    if len(value) > LIST_LIMIT:
        raise InvalidField(f"{spec.name} の要素が多すぎます（上限 {LIST_LIMIT}）")
    # An item's length is bounded for new input only: it came after records were stored, and
    # one stored with a longer item must still pull and serve as a base (as dates' years do).
    longest = max(value, key=len, default="")
    if not stored and len(longest) > SHORT_TEXT_LIMIT:
        raise InvalidField(
            f"{spec.name} の要素が長すぎます（{len(longest)} 文字、上限 {SHORT_TEXT_LIMIT} 文字）"
        )
    items = [v.strip() for v in value if v.strip()]
    if spec.type is FieldType.CODE_LIST:
        items = [validate_code(v) for v in items]
    # Order is the author's; duplicates carry no meaning.
    return list(dict.fromkeys(items))


def _clean_ref_list(spec: FieldSpec, value: object) -> list[str]:
    if not isinstance(value, list) or len(value) > LIST_LIMIT:
        raise InvalidField(f"{spec.name} は {LIST_LIMIT} 件までの id のリストで指定してください")
    return list(dict.fromkeys(clean_record_id(v) for v in value))


_SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


def _clean_sha256(spec: FieldSpec, value: object) -> str:
    if isinstance(value, str) and _SHA256_RE.match(value.strip().lower()):
        return value.strip().lower()
    raise InvalidField(f"{spec.name} は 64 桁の 16 進数で指定してください（{value!r}）")


def _clean_byte_count(spec: FieldSpec, value: object) -> int:
    # Bounded by what any file may be (1 TB), not by a limit that an operator may raise.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 1 << 40:
        return value
    raise InvalidField(f"{spec.name} は 0 以上のバイト数で指定してください（{value!r}）")


def _clean_definition(spec: FieldSpec, value: object) -> dict[str, object]:
    try:
        return definition_from_json(value).as_json()
    except DomainError as error:
        raise InvalidField(f"{spec.name} {error}") from None


def _clean_choice(spec: FieldSpec, value: object) -> str:
    assert spec.choices is not None
    if isinstance(value, str):
        text = value.strip()
        if text in spec.choices:
            return text
        for code, label in spec.choices.items():
            if text == label:
                return code
    options = "、".join(f"{code}（{label}）" for code, label in spec.choices.items())
    raise InvalidField(f"{spec.name} の値 {value!r} は選べません（{options}）")


def _clean_level(spec: FieldSpec, value: object) -> int:
    if isinstance(value, str) and normalize_digits(value).isdigit() and len(value) <= 9:
        value = int(normalize_digits(value))
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return value
    raise InvalidField(f"{spec.name} は 1〜4 の整数で指定してください（{value!r}）")


def field_reason(spec: FieldSpec, message: str) -> str:
    """The message without the field's name or label in front, as a window shows it after
    the label: 「level は 1〜4 の…」 -> 「1〜4 の…」, 「日付 'x' が…」 -> 「'x' が…」."""
    reason = message
    for prefix in (f"{spec.name}（{spec.label}）", spec.name, spec.label):
        if reason.startswith(prefix):
            rest = reason[len(prefix) :].lstrip()
            reason = rest[1:].lstrip() if rest[:1] in ("は", "の", "が", "に", ":") else rest
    return reason


def clean_value(spec: FieldSpec, value: object, *, stored: bool = False) -> object:
    """Turn one raw input value into the stored form, or raise with a message a person reads.

    The error's ``refused`` names this field, with the reason a window shows after its label.
    ``stored``: a value saved before (a pulled record, a push's base), checked for its shape but
    not held to the bounds that came after values were stored (a date's years, a list item's
    length), so that a record saved before them still loads.
    """
    try:
        return _clean_value(spec, value, stored=stored)
    except DomainError as error:
        if not error.refused:
            error.refused = {spec.name: field_reason(spec, str(error))}
        error.labels.setdefault(spec.name, spec.label)
        raise


def _named(spec: FieldSpec) -> str:
    """A field as its messages name it: 「months（間隔（か月））」."""
    return f"{spec.name}（{spec.label}）"


def _clean_value(spec: FieldSpec, value: object, *, stored: bool) -> object:
    if _is_blank(value) and spec.type not in (FieldType.TEXT, FieldType.LONG_TEXT):
        if spec.required:
            raise InvalidField(f"{_named(spec)}は必須です")
        return _empty_value(spec)
    match spec.type:
        case FieldType.TEXT | FieldType.LONG_TEXT:
            limit = SHORT_TEXT_LIMIT if spec.type is FieldType.TEXT else LONG_TEXT_LIMIT
            text = "" if value is None else _clean_text(spec, value, limit)
            if spec.required and not text.strip():
                raise InvalidField(f"{spec.name}（{spec.label}）は必須です")
            return text
        case FieldType.DATE:
            return _clean_date(spec, value, stored=stored)
        case FieldType.STR_LIST | FieldType.CODE_LIST:
            return _clean_list(spec, value, stored=stored)
        case FieldType.CHOICE:
            return _clean_choice(spec, value)
        case FieldType.MUNICIPALITY:
            if not isinstance(value, str | int) or isinstance(value, bool):
                raise InvalidField(
                    f"{spec.name} は 6 桁の全国地方公共団体コードで指定してください（{value!r}）"
                )
            return validate_code(str(value))
        case FieldType.REF:
            return clean_record_id(value)
        case FieldType.REF_LIST:
            return _clean_ref_list(spec, value)
        case FieldType.PEOPLE:
            return clean_people(spec.name, value)
        case FieldType.SCORES:
            if not isinstance(value, Mapping):
                raise InvalidField(
                    f"{spec.name} は「項目コード: 点数」のオブジェクトで指定してください"
                )
            return dict(value)  # checked against the catalog by the assessment facade
        case FieldType.LEVEL:
            return _clean_level(spec, value)
        case FieldType.SHA256:
            return _clean_sha256(spec, value)
        case FieldType.BYTE_COUNT:
            return _clean_byte_count(spec, value)
        case FieldType.SURVEY_DEFINITION:
            return _clean_definition(spec, value)
        case FieldType.ANSWERS:
            return clean_answers(spec.name, value)
        case FieldType.TIME:
            return clean_time(_named(spec), value)
        case FieldType.MONTHS:
            return clean_months(_named(spec), value)
        case FieldType.ATTENDANCE:
            return clean_attendance(_named(spec), value)
        case FieldType.TARGETS:
            return clean_targets(_named(spec), value)
        case FieldType.FISCAL_YEAR:
            if isinstance(value, bool) or not isinstance(value, str | int):
                raise InvalidField(f"{spec.name} の年度 {value!r} が読めません（例: 2025 / R7）")
            return parse_fiscal_year(value)
    raise AssertionError(spec.type)  # pragma: no cover - every type is matched above


def clean_fields(
    spec: KindSpec, payload: Mapping[str, object], *, partial: bool, stored: bool = False
) -> dict[str, object]:
    """Validate a new record (``partial=False``: defaults filled, required checked) or a patch;
    ``stored``: a record saved before, see :func:`clean_value`."""
    if not isinstance(payload, Mapping):
        raise InvalidField("JSON オブジェクトを指定してください")
    cleaned: dict[str, object] = {}
    errors: list[DomainError] = []
    for name, raw in payload.items():  # every field at fault is named, not only the first
        try:
            cleaned[name] = clean_value(spec.field(name), raw, stored=stored)
        except DomainError as error:
            errors.append(error)
    refused = {name for error in errors for name in error.refused}
    if not partial:
        for field in spec.fields:
            if field.name in cleaned or field.name in refused:
                continue
            if field.required:
                errors.append(
                    InvalidField(
                        f"{field.name}（{field.label}）は必須です",
                        refused={field.name: "必須です"},
                        labels={field.name: field.label},
                    )
                )
            cleaned[field.name] = _empty_value(field)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise InvalidField(
            " / ".join(str(error) for error in errors),
            refused={name: why for error in errors for name, why in error.refused.items()},
            labels={name: label for error in errors for name, label in error.labels.items()},
        )
    return cleaned


def to_json_value(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return value

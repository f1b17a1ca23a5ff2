"""The kinds of record an advisor keeps, their fields and the limits on their values.

This is the one description of record shapes: the store's facades validate with it (through
:mod:`dxdesk.domain.record_fields`, which turns raw input into clean values), the CLI lists it
in errors, and sync later merges field by field along it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Final

from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import (
    FIRST_FISCAL_YEAR,
    LAST_FISCAL_YEAR,
    fiscal_year_bounds,
)
from dxdesk.domain.national_schemes import national_schemes
from dxdesk.domain.vocabulary import (
    ARTICLE_CATEGORIES,
    ASSESSMENT_METHODS,
    ENGAGEMENT_TYPES,
    FOLLOW_UP_STATUSES,
    GROUP_EVENT_TYPES,
    MODES,
    RECORD_STATUSES,
)

SHORT_TEXT_LIMIT: Final = 500
LONG_TEXT_LIMIT: Final = 200_000
LIST_LIMIT: Final = 200
# A record's date falls in a fiscal year the programme records (年度 1989〜2100): a visit, a
# follow-up's due date or an assessment's 実施日 is counted in its fiscal year, and a date outside
# them is a slip (1925 for 2025; a date field's calendar goes back to 1752). The bounds hold for
# new input only: a record stored before them still loads and syncs (``stored``).
FIRST_RECORD_DATE: Final = fiscal_year_bounds(FIRST_FISCAL_YEAR)[0]
LAST_RECORD_DATE: Final = fiscal_year_bounds(LAST_FISCAL_YEAR)[1]


class UnknownKind(DomainError):
    pass


class InvalidField(DomainError):
    pass


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"  # merged line by line (domain/merge.py) when both sides changed it
    DATE = "date"
    STR_LIST = "str_list"
    CHOICE = "choice"
    MUNICIPALITY = "municipality"
    REF = "ref"
    SCORES = "scores"  # one field per assessment item, validated against the catalog
    LEVEL = "level"
    FISCAL_YEAR = "fiscal_year"
    CODE_LIST = "code_list"  # municipality codes
    PEOPLE = "people"  # the people who know: name, organisation, role, contact (domain/people.py)
    REF_LIST = "ref_list"  # ids of records of ``ref_kind``
    BYTE_COUNT = "byte_count"  # a file's size in bytes
    SHA256 = "sha256"  # a file's content hash, 64 lowercase hex digits
    # A survey's definition (domain/survey_definition.py), checked whole; merged whole.
    SURVEY_DEFINITION = "survey_definition"
    # A survey response's answers: question code -> value (domain/survey_values.py); merged whole.
    ANSWERS = "answers"
    TIME = "time"  # a time of day, "HH:MM" in Asia/Tokyo (domain/calendar_values.py)
    MONTHS = "months"  # a cadence: every 1〜24 months
    # Municipality code -> how many of its people took part in an event; merged whole.
    ATTENDANCE = "attendance"
    # A fiscal year's plan: target key -> count (domain/programme_plan.py); merged whole.
    TARGETS = "targets"


class Scope(StrEnum):
    MUNICIPALITY = "municipality"  # belongs to one municipality, synced by assignment
    PREFECTURE = "prefecture"  # shared with every advisor
    # Goes where its parent record goes (``parent_kind`` and ``parent``): a visit's, a note's or
    # a follow-up's municipality, or every advisor with an article or an event.
    PARENT = "parent"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    label: str
    required: bool = False
    choices: Mapping[str, str] | None = None
    default_choice: str | None = None
    ref_kind: str | None = None


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: str
    scope: Scope
    fields: tuple[FieldSpec, ...]

    @cached_property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise InvalidField(
            f"{self.kind} に {name!r} というフィールドはありません"
            f"（使えるもの: {', '.join(self.field_names)}）",
            refused={name: "この種類の記録にはない項目です"},
        )


def _text(name: str, label: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(name, FieldType.TEXT, label, required=required)


def _long(name: str, label: str) -> FieldSpec:
    return FieldSpec(name, FieldType.LONG_TEXT, label)


def _list(name: str, label: str) -> FieldSpec:
    return FieldSpec(name, FieldType.STR_LIST, label)


def _choice(name: str, label: str, choices: Mapping[str, str], default: str) -> FieldSpec:
    return FieldSpec(name, FieldType.CHOICE, label, choices=choices, default_choice=default)


# The kinds a file may be attached to (an attachment's ``parent_kind``).
ATTACHMENT_PARENTS: Final[Mapping[str, str]] = {
    "visit": "相談記録",
    "interview": "ヒアリング",
    "followup": "フォローアップ",
    "article": "ナレッジ",
    "event": "合同の場",
}
# Kinds only a coordinator (事務局) writes: the server refuses anyone else's change to them.
COORDINATOR_KINDS: Final = frozenset({"survey_definition", "programme_plan"})
# The largest file a laptop attaches; the server has its own limit (settings), 100 MB unless set.
MAX_FILE_BYTES: Final = 100 * 1024 * 1024

_MUNICIPALITY = FieldSpec("municipality", FieldType.MUNICIPALITY, "市町村", required=True)
# Planned (予定), held (実施) or cancelled (中止); a record kept before the calendar is held.
_STATUS = _choice("status", "状態", RECORD_STATUSES, "held")
# The times of a consultation or an event on its date (none: all day); the end after the start.
_START = FieldSpec("start_time", FieldType.TIME, "開始")
_END = FieldSpec("end_time", FieldType.TIME, "終了")

KINDS: Final[Mapping[str, KindSpec]] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            "visit",
            "相談記録",
            Scope.MUNICIPALITY,
            (
                _MUNICIPALITY,
                FieldSpec("date", FieldType.DATE, "日付", required=True),
                _choice("type", "種別", ENGAGEMENT_TYPES, "visit"),
                _choice("mode", "形式", MODES, "in_person"),
                _text("title", "件名"),
                _list("municipal_attendees", "出席者（市町村）"),
                _list("advisor_attendees", "出席者（アドバイザー）"),
                _list("themes", "テーマ"),
                _long("summary", "概要"),
                _long("notes", "メモ"),
                _STATUS,
                _START,
                _END,
                _text("place", "場所"),
                # The national advisor scheme of a consultation of type national_scheme.
                FieldSpec("scheme", FieldType.CHOICE, "国の制度", choices=national_schemes()),
            ),
        ),
        KindSpec(
            "interview",
            "ヒアリング",
            Scope.MUNICIPALITY,
            (
                FieldSpec("engagement", FieldType.REF, "相談記録", required=True, ref_kind="visit"),
                _text("interviewee", "相手"),  # blank while the note is being started
                _text("role", "役職・担当"),
                _long("notes", "内容"),
            ),
        ),
        KindSpec(
            "followup",
            "フォローアップ",
            Scope.MUNICIPALITY,
            (
                # Given by the engagement when there is one; required otherwise.
                FieldSpec("municipality", FieldType.MUNICIPALITY, "市町村"),
                FieldSpec("engagement", FieldType.REF, "相談記録", ref_kind="visit"),
                _text("description", "内容"),  # blank while the item is being started
                _text("owner", "担当"),
                FieldSpec("due", FieldType.DATE, "期限"),
                _choice("status", "状態", FOLLOW_UP_STATUSES, "open"),
                # The group session it came from (its municipality is one of the participants).
                FieldSpec("event", FieldType.REF, "合同の場", ref_kind="event"),
            ),
        ),
        KindSpec(
            "contact",
            "連絡先",
            Scope.MUNICIPALITY,
            (
                _MUNICIPALITY,
                _text("name", "氏名", required=True),
                _text("kana", "よみ"),
                _text("department", "所属"),
                _text("title", "役職"),
                _text("email", "メール"),
                _text("phone", "電話"),
                _long("notes", "メモ"),
            ),
        ),
        KindSpec(
            "assessment",
            "アセスメント",
            Scope.MUNICIPALITY,
            (
                _MUNICIPALITY,
                FieldSpec("fiscal_year", FieldType.FISCAL_YEAR, "年度", required=True),
                _choice("method", "方法", ASSESSMENT_METHODS, "in_person"),
                FieldSpec("assessed_on", FieldType.DATE, "実施日"),
                _text("assessor", "実施者"),
                _text("catalog_version", "項目版"),
                FieldSpec("scores", FieldType.SCORES, "回答"),
                FieldSpec("level", FieldType.LEVEL, "支援分類"),
                _long("level_reason", "判断理由"),
            ),
        ),
        KindSpec(
            "article",
            "ナレッジ",
            Scope.PREFECTURE,
            (
                # Blank while the article is being written (no placeholder is stored, nor
                # shared); publishing one from a visit asks for it (models/knowledge_drafts).
                _text("title", "題名"),
                _choice("category", "区分", ARTICLE_CATEGORIES, "know_how"),
                _long("body", "本文"),
                FieldSpec("fiscal_year", FieldType.FISCAL_YEAR, "年度"),
                FieldSpec("municipality", FieldType.MUNICIPALITY, "市町村"),
                FieldSpec("people", FieldType.PEOPLE, "詳しい人"),
                _text("person", "詳しい人（メモ）"),
                FieldSpec("engagements", FieldType.REF_LIST, "元の相談記録", ref_kind="visit"),
                _list("themes", "テーマ"),
                _list("tags", "タグ"),
            ),
        ),
        KindSpec(
            "event",
            "合同の場",
            Scope.PREFECTURE,
            (
                _choice("type", "種別", GROUP_EVENT_TYPES, "regional_consultation"),
                FieldSpec("date", FieldType.DATE, "日付", required=True),
                _text("title", "名称", required=True),
                _text("region", "振興局"),
                _list("themes", "テーマ"),
                FieldSpec("participants", FieldType.CODE_LIST, "参加市町村"),
                _long("summary", "概要"),
                _long("notes", "メモ"),
                _STATUS,
                _START,
                _END,
                _choice("mode", "形式", MODES, "in_person"),
                _text("place", "場所"),
                # How many people came from each participant (a code here is a participant).
                FieldSpec("attendance", FieldType.ATTENDANCE, "参加人数"),
            ),
        ),
        KindSpec(
            "cadence",
            "定例の間隔",
            Scope.MUNICIPALITY,
            (
                _MUNICIPALITY,
                # Every how many months the municipality's regular consultation is held.
                FieldSpec("months", FieldType.MONTHS, "間隔（か月）", required=True),
                _text("note", "メモ"),
            ),
        ),
        KindSpec(
            "programme_plan",
            "年度計画",
            Scope.PREFECTURE,  # set by a coordinator (the server refuses anyone else)
            (
                FieldSpec("fiscal_year", FieldType.FISCAL_YEAR, "年度", required=True),
                FieldSpec("targets", FieldType.TARGETS, "計画回数"),
                _long("notes", "メモ"),
            ),
        ),
        KindSpec(
            "survey_definition",
            "調査の定義",
            Scope.PREFECTURE,  # loaded by a coordinator (the server refuses anyone else)
            (
                FieldSpec("fiscal_year", FieldType.FISCAL_YEAR, "年度", required=True),
                _text("prefecture", "都道府県"),
                _text("title", "調査名"),
                FieldSpec("definition", FieldType.SURVEY_DEFINITION, "設問と選択肢", required=True),
                _text("source_name", "元のファイル"),
                FieldSpec("source_sha256", FieldType.SHA256, "元のファイルの SHA-256"),
            ),
        ),
        KindSpec(
            "survey_response",
            "調査の回答",
            Scope.MUNICIPALITY,
            (
                _MUNICIPALITY,
                FieldSpec("fiscal_year", FieldType.FISCAL_YEAR, "年度", required=True),
                # The definition the answers were read under (survey_definition); none when the
                # year had none loaded and the catalog's items stood for the survey.
                FieldSpec("definition", FieldType.REF, "調査の定義", ref_kind="survey_definition"),
                FieldSpec("answers", FieldType.ANSWERS, "回答"),
                _text("respondent", "回答者"),
                FieldSpec("answered_on", FieldType.DATE, "回答日"),
                FieldSpec("imported_on", FieldType.DATE, "取り込み日"),
                _text("source_name", "元のファイル"),
                FieldSpec("source_sha256", FieldType.SHA256, "元のファイルの SHA-256"),
            ),
        ),
        KindSpec(
            "attachment",
            "添付ファイル",
            Scope.PARENT,
            (
                FieldSpec(
                    "parent_kind",
                    FieldType.CHOICE,
                    "添付先の種類",
                    required=True,
                    choices=ATTACHMENT_PARENTS,
                    default_choice="visit",
                ),
                # A record of ``parent_kind``; the municipality follows it (None: prefecture-wide).
                FieldSpec("parent", FieldType.REF, "添付先", required=True),
                FieldSpec("municipality", FieldType.MUNICIPALITY, "市町村"),
                _text("name", "ファイル名", required=True),
                _text("media_type", "種類"),
                FieldSpec("size", FieldType.BYTE_COUNT, "サイズ", required=True),
                FieldSpec("sha256", FieldType.SHA256, "SHA-256", required=True),
            ),
        ),
    )
}


def kind_spec(kind: str) -> KindSpec:
    try:
        return KINDS[kind]
    except KeyError:
        raise UnknownKind(f"種類 {kind!r} はありません（使えるもの: {', '.join(KINDS)}）") from None

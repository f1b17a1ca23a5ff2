"""What a sheet of past records may hold for each kind: the headers people write for a field,
the fields that name a row when the sheet has no ID column, and the records a visit's row may
carry beside it (an interview note, a follow-up).

A row's identity is its key fields, not its whole content, so that a row whose other cells were
edited in the file since is the same record (an update), and one whose key changed is another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dxdesk.domain.records import FieldSpec, FieldType, kind_spec

ID_FIELD = "id"  # the sheet's own identity column, not a record field
ID_LABEL = "ID（同じ記録の目印）"
_NOT_FROM_A_SHEET = (FieldType.REF, FieldType.REF_LIST)  # links between records: not in a cell
_MUNICIPALITY = ("市町村", "市町村名", "団体名", "自治体", "自治体名", "市町村コード")


@dataclass(frozen=True)
class ImportKind:
    kind: str
    key: tuple[str, ...]  # the fields that name a row (with its place among equal keys)
    required: tuple[str, ...]  # needed in every row, beyond the kind's own required fields
    synonyms: Mapping[str, tuple[str, ...]]
    children: tuple[str, ...] = ()  # kinds a row may carry beside its record


IMPORT_KINDS: Mapping[str, ImportKind] = {
    k.kind: k
    for k in (
        ImportKind(
            "visit",
            key=("municipality", "date", "title"),
            required=(),
            synonyms={
                "municipality": _MUNICIPALITY,
                "date": ("日付", "実施日", "相談日", "訪問日", "年月日"),
                "type": ("種別", "相談種別"),
                "mode": ("形式", "方法", "実施方法"),
                "title": ("件名", "タイトル", "表題"),
                "summary": ("概要", "内容", "相談内容"),
                "notes": ("メモ", "備考"),
                "advisor_attendees": ("対応者", "アドバイザー", "担当アドバイザー"),
                "municipal_attendees": ("出席者", "市町村出席者", "先方出席者", "相手方"),
                "themes": ("テーマ", "分野"),
                "status": ("状態",),
                "start_time": ("開始", "開始時刻"),
                "end_time": ("終了", "終了時刻"),
                "place": ("場所", "会場"),
                "scheme": ("国の制度", "制度"),
            },
            children=("interview", "followup"),
        ),
        ImportKind(
            "contact",
            key=("municipality", "name"),
            required=(),
            synonyms={
                "municipality": _MUNICIPALITY,
                "name": ("氏名", "名前", "担当者", "担当者名"),
                "kana": ("よみ", "ふりがな", "フリガナ", "読み"),
                "department": ("所属", "部署", "課", "所属課"),
                "title": ("役職",),
                "email": ("メール", "メールアドレス", "email", "e-mail"),
                "phone": ("電話", "電話番号", "tel"),
                "notes": ("メモ", "備考"),
            },
        ),
        ImportKind(
            "followup",
            key=("municipality", "description"),
            required=("municipality", "description"),
            synonyms={
                "municipality": _MUNICIPALITY,
                "description": ("内容", "フォローアップ", "対応事項", "宿題", "課題"),
                "owner": ("担当", "担当者", "対応者"),
                "due": ("期限", "期日", "締切"),
                "status": ("状態", "対応状況", "状況"),
            },
        ),
        ImportKind(
            "article",
            key=("title",),
            required=("title",),
            synonyms={
                "title": ("題名", "タイトル", "件名"),
                "category": ("区分", "種類"),
                "body": ("本文", "内容"),
                "fiscal_year": ("年度",),
                "municipality": _MUNICIPALITY,
                "people": ("詳しい人", "人脈", "ノウフー"),
                "themes": ("テーマ", "分野"),
                "tags": ("タグ", "キーワード"),
            },
        ),
    )
}
SUPPORTED_KINDS = tuple(IMPORT_KINDS)

# A visit's row may also hold an interview note and a follow-up: "interview.notes", ...
_CHILD_SYNONYMS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "interview": {
        "interviewee": ("ヒアリング相手", "聞き取り相手"),
        "role": ("ヒアリング相手の役職", "相手の役職"),
        "notes": ("ヒアリング", "ヒアリング内容", "聞き取り", "聞き取り内容"),
    },
    "followup": {
        "description": ("フォローアップ", "フォロー内容", "宿題", "次回までの対応", "対応事項"),
        "owner": ("フォロー担当", "宿題の担当"),
        # Not 期限 or 対応状況 alone: in a visit's sheet they may well be about the visit.
        "due": ("フォロー期限", "宿題の期限"),
        "status": ("フォロー状況", "宿題の状況"),
    },
}
_CHILD_LABELS = {"interview": "ヒアリング", "followup": "フォローアップ"}


def import_kind(kind: str) -> ImportKind:
    return IMPORT_KINDS[kind]


def importable(kind: str) -> list[FieldSpec]:
    """The kind's fields a cell can hold (links to other records are made, not typed)."""
    return [s for s in kind_spec(kind).fields if s.type not in _NOT_FROM_A_SHEET]


def child_fields(kind: str) -> dict[str, FieldSpec]:
    """ "interview.notes" -> the interview's notes field, for each child a row of ``kind`` holds."""
    fields: dict[str, FieldSpec] = {}
    for child in IMPORT_KINDS[kind].children:
        for spec in importable(child):
            if spec.name in _CHILD_SYNONYMS[child]:
                fields[f"{child}.{spec.name}"] = spec
    return fields


def field_spec(kind: str, key: str) -> FieldSpec:
    return child_fields(kind)[key] if "." in key else kind_spec(kind).field(key)


def field_label(kind: str, key: str) -> str:
    if key == ID_FIELD:
        return ID_LABEL
    if "." in key:
        child = key.split(".", 1)[0]
        return f"{_CHILD_LABELS[child]}: {field_spec(kind, key).label}"
    return kind_spec(kind).field(key).label


def field_choices(kind: str) -> list[tuple[str, str]]:
    """(field key, label) a column may be mapped to, in the order a person reads them."""
    keys = [s.name for s in importable(kind)] + [ID_FIELD] + list(child_fields(kind))
    return [(key, field_label(kind, key)) for key in keys]


def own_words(kind: str) -> dict[str, tuple[str, ...]]:
    """Field key -> the field's own label and name (these win over any other field's synonym)."""
    return {s.name: (s.label, s.name) for s in importable(kind)}


def synonyms(kind: str) -> dict[str, tuple[str, ...]]:
    """Field key -> the other words people write for it, children's fields and the ID's too."""
    words = {s.name: tuple(IMPORT_KINDS[kind].synonyms.get(s.name, ())) for s in importable(kind)}
    for key in child_fields(kind):
        child, name = key.split(".", 1)
        words[key] = _CHILD_SYNONYMS[child][name]
    # Not "No." or 番号: a secretariat's No. column counts rows, and is renumbered when a row is
    # inserted; such a column is the ID only when the person says so (--column No.=id).
    words[ID_FIELD] = ("id", "管理番号", "記録番号")
    return words

"""Closed vocabularies of the programme: engagement types, modes, follow-up states.

Stored values are stable ASCII codes; people see the Japanese labels. Input accepts either.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

ENGAGEMENT_TYPES: Final = MappingProxyType(
    {
        "visit": "訪問",
        "regular_consultation": "定例よろず相談",
        "regional_consultation": "地域別よろず相談",
        "theme_consultation": "テーマ別よろず相談",
        "joint_training": "合同研修",
        "top_seminar": "トップセミナー",
        "chat": "チャット相談",
        "national_scheme": "国のアドバイザー制度",
    }
)

MODES: Final = MappingProxyType({"in_person": "対面", "online": "オンライン"})

FOLLOW_UP_STATUSES: Final = MappingProxyType(
    {"open": "未着手", "in_progress": "対応中", "done": "完了", "dropped": "取りやめ"}
)
OPEN_FOLLOW_UP_STATUSES: Final = frozenset({"open", "in_progress"})

ASSESSMENT_METHODS: Final = MappingProxyType({"in_person": "対面", "survey": "調査票"})

ARTICLE_CATEGORIES: Final = MappingProxyType({"know_how": "ノウハウ", "know_who": "ノウフー"})

# A group session's kind. ``regular_consultation`` stays for events stored before the
# programme's calendar (a 定例 is held with one municipality: a visit of that type).
GROUP_EVENT_TYPES: Final = MappingProxyType(
    {
        **{
            key: ENGAGEMENT_TYPES[key]
            for key in (
                "regional_consultation",
                "theme_consultation",
                "joint_training",
                "top_seminar",
            )
        },
        "results_report": "成果報告会",
        "officers_meeting": "市町村DX担当者会議",
        "promotion_committee": "市町村DX推進部会",
        "e_learning": "eラーニング",
        "intro_training": "DX入門研修",
        "regular_consultation": ENGAGEMENT_TYPES["regular_consultation"],
    }
)
# Where a consultation, visit or event stands: planned ahead, held, or called off. Records kept
# before the calendar are held.
PLANNED: Final = "planned"
HELD: Final = "held"
CANCELLED: Final = "cancelled"
RECORD_STATUSES: Final = MappingProxyType({PLANNED: "予定", HELD: "実施", CANCELLED: "中止"})
# The engagement types that are a municipality's regular consultation, counted against its
# cadence (domain/cadence.py): the 定例よろず相談 and a visit in its place.
CADENCE_TYPES: Final = frozenset({"regular_consultation", "visit"})

THEMES: Final = (
    "窓口BPR・庁内BPR",
    "DX人材育成・確保",
    "共同利用・共同調達",
    "オープンデータ・利活用",
    "地域社会DX",
    "R8以降の事業のあり方",
)

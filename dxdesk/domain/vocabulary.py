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

GROUP_EVENT_TYPES: Final = MappingProxyType(
    {
        key: ENGAGEMENT_TYPES[key]
        for key in (
            "regular_consultation",
            "regional_consultation",
            "theme_consultation",
            "joint_training",
            "top_seminar",
        )
    }
)

THEMES: Final = (
    "窓口BPR・庁内BPR",
    "DX人材育成・確保",
    "共同利用・共同調達",
    "オープンデータ・利活用",
    "地域社会DX",
    "R8以降の事業のあり方",
)

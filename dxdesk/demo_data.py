"""A living demo workspace: the 30 municipalities with engagements, notes, follow-ups,
contacts, knowledge, the programme's calendar from R4 through the fiscal year of the demo's
``today`` (demo_calendar.py) and two years of assessments whose confirmed levels reproduce the
programme's published KPI (FY2023 4/3/2/1 = 2/10/12/6, FY2024 = 6/22/2/0), and the FY2024
survey's answers behind those assessments (demo_survey.py).

Everything is made through the facades, so the demo is validated like real input. Names of
people are invented.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from dxdesk.demo_calendar import seed_calendar
from dxdesk.demo_survey import seed_survey_responses
from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.level_rule import load_level_rule, suggest_level
from dxdesk.domain.support_levels import format_level, programme_observed_levels
from dxdesk.domain.vocabulary import ENGAGEMENT_TYPES, THEMES
from dxdesk.models.store import META_DEMO
from dxdesk.services.workspace import Workspace

SEED = 20240401
SURNAMES = (
    "山本",
    "中村",
    "田中",
    "松本",
    "井上",
    "岡田",
    "前田",
    "藤田",
    "坂本",
    "谷口",
    "西川",
    "森",
    "小西",
    "玉置",
    "湯川",
    "寺本",
    "岩橋",
    "硲",
    "津村",
    "栗山",
)
GIVEN = ("健一", "由美", "浩二", "真理子", "直樹", "智子", "大輔", "恵", "誠", "彩")
DEPARTMENTS = ("総務課 情報政策係", "企画課 DX推進室", "デジタル推進課", "住民課", "総務課")
TITLES = ("課長", "係長", "主査", "主任", "主事")
ADVISORS = ("和田 アドバイザー", "清水 アドバイザー", "北野 アドバイザー")

# How likely each score is, by the level a municipality is meant to show.
NATIONAL_WEIGHTS = {
    4: (2, 3, 15, 80),
    3: (8, 12, 30, 50),
    2: (20, 30, 30, 20),
    1: (45, 30, 20, 5),
}  # for scores 0, 1, 2, 3
PREFECTURE_HIT = {4: 0.75, 3: 0.35, 2: 0.12, 1: 0.03}
# The programme's own reading: 1-1 lags, the outreach items D3-D5 stay low.
ITEM_DRAG = {"1-1": 1, "D3": 0.5, "D4": 0.5, "D5": 0.5}


def _draw_scores(rng: random.Random, catalog: Catalog, level: int) -> dict[str, int]:
    scores: dict[str, int] = {}
    for item in catalog.items:
        if item.scale.maximum == 3 and len(item.scale.options) == 4:
            value = rng.choices((0, 1, 2, 3), weights=NATIONAL_WEIGHTS[level])[0]
            scores[item.code] = max(0, value - int(ITEM_DRAG.get(item.code, 0)))
        else:
            hit = PREFECTURE_HIT[level] * ITEM_DRAG.get(item.code, 1)
            scores[item.code] = item.scale.maximum if rng.random() < hit else 0
    return scores


def _scores_for_level(
    rng: random.Random, catalog: Catalog, level: int
) -> tuple[dict[str, int], int]:
    """Scores whose suggested level matches ``level`` when a few draws find one."""
    rule = load_level_rule(catalog.version)
    scores: dict[str, int] = {}
    suggested = 0
    for _ in range(300):
        scores = _draw_scores(rng, catalog, level)
        suggested = suggest_level(rule, catalog, scores).level
        if suggested == level:
            break
    return scores, suggested


def _levels_by_rank(codes: Sequence[str], per_level: Mapping[int, int]) -> dict[str, int]:
    levels: dict[str, int] = {}
    position = 0
    for level in (4, 3, 2, 1):
        for code in codes[position : position + per_level.get(level, 0)]:
            levels[code] = level
        position += per_level.get(level, 0)
    if position != len(codes):
        raise ValueError("the KPI counts do not add up to the number of municipalities")
    return levels


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"


def _seed_assessments(ws: Workspace, rng: random.Random, ranking: Sequence[str]) -> int:
    catalog = load_catalog()
    observed = programme_observed_levels()
    count = 0
    for fiscal_year in sorted(observed):
        levels = _levels_by_rank(ranking, observed[fiscal_year])
        for code in ranking:
            level = levels[code]
            scores, suggested = _scores_for_level(rng, catalog, level)
            reason = (
                ""
                if suggested == level
                else (
                    f"提案は{format_level(suggested)}だが、ヒアリングで確認した推進体制と"
                    f"取組状況から{format_level(level)}と判断"
                )
            )
            ws.assessments.add(
                {
                    "municipality": code,
                    "fiscal_year": fiscal_year,
                    "method": "survey" if rng.random() < 0.6 else "in_person",
                    "assessed_on": date(fiscal_year, 10, 1 + rng.randrange(28)).isoformat(),
                    "assessor": rng.choice(ADVISORS),
                    "scores": scores,
                    "level": level,
                    "level_reason": reason,
                }
            )
            count += 1
    return count


VISIT_SUMMARIES = (
    "窓口BPRの現状を確認。書かない窓口の導入に向けて、申請書の棚卸しから始めることで合意。",
    "DX推進計画の素案について意見交換。KPIの設定方法と庁内の合意形成の進め方を助言。",
    "生成AIの試行利用について相談。利用ガイドラインのひな形を共有し、対象業務を整理。",
    "システム標準化の移行スケジュールを確認。ベンダーとの調整事項を一覧にまとめた。",
    "オープンデータの公開状況を確認。推奨データセットのうち未公開のものを洗い出した。",
    "DX人材育成の研修計画を相談。階層別研修と実務研修の組み合わせを提案。",
)
INTERVIEW_NOTES = (
    "現場の負担感が大きく、まずは小さな成功例を作りたいとの意向。",
    "首長の関心は高いが、担当課の人員が不足している。外部人材の活用を検討中。",
    "他団体の事例を知りたいとの要望。近隣町の取組を紹介することにした。",
    "予算要求の時期に合わせて、効果の見込みを数字で示したいとのこと。",
)
FOLLOW_UPS = (
    "他団体の申請書様式の事例を送付する",
    "計画素案へのコメントを返す",
    "生成AI利用ガイドラインのひな形を共有する",
    "次回の定例よろず相談で進捗を確認する",
    "研修講師の候補を紹介する",
)


def _seed_engagements(
    ws: Workspace, rng: random.Random, codes: Sequence[str], today: date
) -> dict[str, int]:
    counts = {"visit": 0, "interview": 0, "followup": 0}
    # Dated back from today, so the demo always shows recent work and a few overdue items.
    for code in codes:
        for _ in range(rng.randint(2, 4)):
            day = today - timedelta(days=rng.randrange(1, 540))
            # No 定例 here: the calendar (demo_calendar) holds them at their cadence, so a
            # municipality's count of them is the programme's rhythm. Five choices as before,
            # so the draws after this one stay as they were.
            kind = rng.choice(("visit", "visit", "chat", "theme_consultation", "chat"))
            visit = ws.engagements.add(
                {
                    "municipality": code,
                    "date": day.isoformat(),
                    "type": kind,
                    "mode": "in_person" if kind == "visit" else "online",
                    "title": f"{ENGAGEMENT_TYPES[kind]}（{day.month}月）",
                    "municipal_attendees": [_person(rng) for _ in range(rng.randint(1, 3))],
                    "advisor_attendees": [rng.choice(ADVISORS)],
                    "themes": rng.sample(THEMES, rng.randint(1, 2)),
                    "summary": rng.choice(VISIT_SUMMARIES),
                    "notes": "次回までに庁内で論点を整理していただく。\n\n資料は共有済み。",
                }
            )
            counts["visit"] += 1
            for _ in range(rng.randint(1, 2)):
                ws.interviews.add(
                    {
                        "engagement": visit["id"],
                        "interviewee": _person(rng),
                        "role": f"{rng.choice(DEPARTMENTS)} {rng.choice(TITLES)}",
                        "notes": rng.choice(INTERVIEW_NOTES),
                    }
                )
                counts["interview"] += 1
            for _ in range(rng.randint(1, 2)):
                due = day + timedelta(days=rng.randint(7, 60))
                ws.follow_ups.add(
                    {
                        "engagement": visit["id"],
                        "description": rng.choice(FOLLOW_UPS),
                        "owner": rng.choice((*ADVISORS, "市町村側")),
                        "due": due.isoformat(),
                        "status": (
                            rng.choices(("done", "in_progress", "open"), weights=(85, 10, 5))[0]
                            if due < today
                            else rng.choice(("open", "in_progress"))
                        ),
                    }
                )
                counts["followup"] += 1
    return counts


def _seed_contacts(ws: Workspace, rng: random.Random, codes: Sequence[str]) -> int:
    for code in codes:
        for department in rng.sample(DEPARTMENTS, 2):
            ws.contacts.add(
                {
                    "municipality": code,
                    "name": _person(rng),
                    "department": department,
                    "title": rng.choice(TITLES),
                    "phone": f"073-4{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}",
                }
            )
    return 2 * len(codes)


def _seed_knowledge(ws: Workspace, codes: Sequence[str]) -> dict[str, int]:
    articles: list[dict[str, Any]] = [
        {
            "title": "書かない窓口の始め方",
            "category": "know_how",
            "municipality": codes[0],
            "fiscal_year": 2025,
            "body": "申請書の棚卸し、記載事項の共通化、窓口端末の配置の順に進めた。",
            "themes": ["窓口BPR・庁内BPR"],
            "tags": ["窓口", "BPR"],
        },
        {
            "title": "生成AI利用ガイドラインの作り方",
            "category": "know_how",
            "body": "利用目的、入力してよい情報、確認の手順を1枚にまとめると浸透しやすい。",
            "themes": ["DX人材育成・確保"],
            "tags": ["生成AI"],
        },
        {
            "title": "オープンデータ公開の担当者",
            "category": "know_who",
            "municipality": codes[1],
            "fiscal_year": 2025,
            "people": [
                {"name": "山口 真理", "organisation": "情報政策係", "role": "主査"},
            ],
            "body": "推奨データセットの一括公開を担当した。",
            "themes": ["オープンデータ・利活用"],
        },
        {
            "title": "共同調達の事務局経験者",
            "category": "know_who",
            "municipality": codes[2],
            "fiscal_year": 2024,
            "people": [
                {"name": "中西 健", "organisation": "デジタル推進課", "role": "係長"},
            ],
            "body": "複数町の共同調達で仕様の取りまとめを担った。",
            "themes": ["共同利用・共同調達"],
        },
    ]
    for article in articles:
        ws.articles.add(article)
    return {"article": len(articles)}


def seed_demo(ws: Workspace, *, replace: bool = False, today: date | None = None) -> dict[str, int]:
    """Fill the workspace with demo data; returns how many records of each kind were made.

    The demo is dated around ``today`` (the real date unless given): recent consultations go
    back from it, and the calendar (demo_calendar) holds what falls before it and plans what
    falls after. The same ``today`` gives the same records.
    """
    today = today or date.today()
    if replace:
        ws.store.clear_records()
    ws.store.set_meta(META_DEMO, "1")
    rng = random.Random(SEED)
    roster = ws.municipalities.overview(assigned_only=False)
    # A stable ranking from most to least advanced: larger towns lead more often, not always.
    ranking = [
        m["code"]
        for m in sorted(roster, key=lambda m: -(m["population"] or 3000) * rng.uniform(0.4, 1.6))
    ]
    codes = [m["code"] for m in roster]
    counts: dict[str, int] = {}
    counts.update(_seed_engagements(ws, rng, codes, today))
    counts["contact"] = _seed_contacts(ws, rng, codes)
    counts["assessment"] = _seed_assessments(ws, rng, ranking)
    counts.update(_seed_knowledge(ws, codes))
    # With a generator of its own, like the survey's below.
    for kind, made in seed_calendar(ws, roster, today=today).items():
        counts[kind] = counts.get(kind, 0) + made
    # Last, with a generator of its own: the records above stay as they were before it.
    counts["survey_response"] = seed_survey_responses(ws)
    return counts

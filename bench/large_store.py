"""A large local store, written in bulk: what an advisor's laptop holds after years of use.

30 municipalities, 20,000 engagements with ~2 KB (UTF-8) Japanese notes each, 60,000
follow-ups (many open, due around today) and one scored assessment per municipality and fiscal
year 2021-2025. Rows go in through SQLAlchemy bulk inserts, not the facades, which would take
minutes; every record looks synced (no pending changes).

``python -m bench.large_store DIR`` makes one in DIR and keeps it, for looking at by hand.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.fiscal_year import fiscal_year_bounds, fiscal_year_of
from dxdesk.domain.vocabulary import ENGAGEMENT_TYPES, MODES, THEMES
from dxdesk.models.store import Store, open_store
from dxdesk.models.tables import AssessmentRow, EngagementRow, FollowUpRow, MunicipalityRow
from dxdesk.services.assessments import evaluate
from dxdesk.services.workspace import Workspace

SEED = 20251122
ENGAGEMENTS = 20_000
FOLLOW_UPS = 60_000
ASSESSMENT_YEARS = tuple(range(2021, 2026))
CATALOG_VERSION = "2024"
NOTE_BYTES = 2_000
BATCH = 2_000
AUTHOR = "bench"

# (status, weight): about 55 % of follow-ups are still open or in progress.
FOLLOW_UP_MIX = (("open", 40), ("in_progress", 15), ("done", 35), ("dropped", 10))

NOTE_SENTENCES = (
    "窓口BPRの進め方について担当課と意見交換を行った。",
    "住民票の写し等の交付申請を書かない窓口で受け付ける案を検討している。",
    "庁内のDX推進体制について、情報政策係と企画課の役割分担を確認した。",
    "共同調達の対象システムの候補として、電子申請と文書管理が挙がった。",
    "次回までに現行業務フローの洗い出しを進めてもらうことになった。",
    "職員向けのDX研修は、管理職向けと実務担当者向けに分けて実施する予定。",
    "オープンデータの公開は推奨データセットから着手する方針で合意した。",
    "LGWAN接続系とインターネット接続系の分離について、運用上の課題を聞き取った。",
    "ガバメントクラウドへの移行スケジュールとベンダーとの調整状況を確認した。",
    "キャッシュレス決済の導入効果について、近隣町村の事例を紹介した。",
    "首長からはデジタル人材の確保について強い関心が示された。",
    "アンケート結果を踏まえ、支援分類の見直しについて説明した。",
    "地域社会DXとして、高齢者向けのスマホ教室の開催を提案した。",
    "予算要求に向けて、効果額の試算方法を一緒に整理した。",
    "文書の電子化に伴う決裁規程の改正が必要との指摘があった。",
    "次年度以降の事業のあり方について、県の方針を改めて共有した。",
)
SUMMARIES = (
    "窓口BPRの相談",
    "DX推進計画の進捗確認",
    "共同調達の意向確認",
    "研修計画の打合せ",
    "オープンデータの公開支援",
    "ガバメントクラウド移行の相談",
)
FOLLOW_UP_TEXTS = (
    "業務フロー図を送付する",
    "近隣町の事例資料を共有する",
    "研修日程の候補を連絡する",
    "共同調達の参加意向を確認する",
    "予算資料の確認結果を返す",
    "ベンダー見積の比較表を作る",
)
PEOPLE = ("山本 係長", "中村 主査", "田中 課長", "和田 アドバイザー", "清水 アドバイザー")


@dataclass(frozen=True)
class StoreCounts:
    municipalities: int
    engagements: int
    follow_ups: int
    open_follow_ups: int
    assessments: int
    seconds: float
    megabytes: float


def build_large_store(data_dir: Path, *, today: date | None = None) -> StoreCounts:
    """Make the large store in ``data_dir`` (which should be empty) and check it reads back."""
    started = time.perf_counter()
    today = today or date.today()
    rng = random.Random(SEED)
    store = open_store(data_dir)
    try:
        with store.transaction() as session:
            session.execute(update(MunicipalityRow).values(assigned=True))
            codes = sorted(session.scalars(select(MunicipalityRow.code)))
        engagement_ids = _insert_engagements(store, rng, codes, today)
        open_count = _insert_follow_ups(store, rng, engagement_ids, today)
        assessments = _insert_assessments(store, rng, codes)
        _check_readable(store, codes)
    finally:
        store.close()
    size = sum(p.stat().st_size for p in data_dir.iterdir() if p.is_file())
    return StoreCounts(
        municipalities=len(codes),
        engagements=sum(len(ids) for ids in engagement_ids.values()),
        follow_ups=FOLLOW_UPS,
        open_follow_ups=open_count,
        assessments=assessments,
        seconds=time.perf_counter() - started,
        megabytes=size / 1_000_000,
    )


def _sync_columns(when: datetime) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "server_rev": None,
        "deleted": False,
        "created_at": when,
        "updated_at": when,
        "updated_by": AUTHOR,
    }


def _stamp(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, clock(9 + rng.randrange(9), rng.randrange(60)), tzinfo=UTC)


def _note(rng: random.Random) -> str:
    parts: list[str] = []
    size = 0
    while size < NOTE_BYTES:
        sentence = rng.choice(NOTE_SENTENCES)
        parts.append(sentence)
        size += len(sentence.encode())
    return "".join(parts)


def _insert_engagements(
    store: Store, rng: random.Random, codes: Sequence[str], today: date
) -> dict[str, list[str]]:
    """Engagements over the five fiscal years up to today; returns their ids per municipality."""
    first_day = fiscal_year_bounds(fiscal_year_of(today) - 4)[0]
    span = (today - first_day).days
    ids: dict[str, list[str]] = {code: [] for code in codes}

    def rows() -> Iterator[dict[str, Any]]:
        for n in range(ENGAGEMENTS):
            code = codes[n % len(codes)]
            day = first_day + timedelta(days=rng.randrange(span + 1))
            row = _sync_columns(_stamp(day, rng))
            ids[code].append(row["id"])
            summary = rng.choice(SUMMARIES)
            yield {
                **row,
                "municipality": code,
                "date": day,
                "type": rng.choice(list(ENGAGEMENT_TYPES)),
                "mode": rng.choice(list(MODES)),
                "title": f"{summary}（{n + 1}）",
                "municipal_attendees": rng.sample(PEOPLE[:3], 2),
                "advisor_attendees": [rng.choice(PEOPLE[3:])],
                "themes": rng.sample(THEMES, rng.randrange(1, 3)),
                "summary": summary,
                "notes": _note(rng),
            }

    _insert_batched(store, EngagementRow, rows())
    return ids


def _insert_follow_ups(
    store: Store, rng: random.Random, engagement_ids: dict[str, list[str]], today: date
) -> int:
    """Follow-ups, most tied to an engagement, due from half a year ago to half a year ahead."""
    codes = sorted(engagement_ids)
    statuses = [s for s, _ in FOLLOW_UP_MIX]
    weights = [w for _, w in FOLLOW_UP_MIX]
    open_count = 0

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal open_count
        for n in range(FOLLOW_UPS):
            code = codes[n % len(codes)]
            status = rng.choices(statuses, weights)[0]
            open_count += status in ("open", "in_progress")
            due = None if rng.random() < 0.1 else today + timedelta(days=rng.randrange(-180, 181))
            created = (due or today) - timedelta(days=rng.randrange(7, 60))
            yield {
                **_sync_columns(_stamp(created, rng)),
                "municipality": code,
                "engagement": rng.choice(engagement_ids[code]) if rng.random() < 0.8 else None,
                "description": rng.choice(FOLLOW_UP_TEXTS),
                "owner": rng.choice(PEOPLE),
                "due": due,
                "status": status,
            }

    _insert_batched(store, FollowUpRow, rows())
    return open_count


def _insert_assessments(store: Store, rng: random.Random, codes: Sequence[str]) -> int:
    """All items scored for every municipality and year; two in three have a confirmed level."""
    catalog: Catalog = load_catalog(CATALOG_VERSION)
    rows: list[dict[str, Any]] = []
    for code in codes:
        for fy in ASSESSMENT_YEARS:
            scores = {i.code: rng.choice(sorted(i.scale.values)) for i in catalog.items}
            _, suggestion = evaluate(CATALOG_VERSION, scores)
            assessed_on = fiscal_year_bounds(fy)[0] + timedelta(days=rng.randrange(60, 200))
            rows.append(
                {
                    **_sync_columns(_stamp(assessed_on, rng)),
                    "municipality": code,
                    "fiscal_year": fy,
                    "method": rng.choice(("in_person", "survey")),
                    "assessed_on": assessed_on,
                    "assessor": rng.choice(PEOPLE[3:]),
                    "catalog_version": CATALOG_VERSION,
                    "scores": scores,
                    "level": suggestion.level if rng.random() < 2 / 3 else None,
                    "level_reason": "",
                }
            )
    _insert_batched(store, AssessmentRow, iter(rows))
    return len(rows)


def _insert_batched(store: Store, table: type[Any], rows: Iterator[dict[str, Any]]) -> None:
    with store.transaction() as session:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                session.execute(insert(table), batch)
                batch = []
        if batch:
            session.execute(insert(table), batch)


def _check_readable(store: Store, codes: Sequence[str]) -> None:
    """The facades the app uses must read what was written."""
    ws = Workspace(store)
    overview = ws.municipalities.overview()
    if len(overview) != len(codes):
        raise AssertionError(f"overview lists {len(overview)} municipalities, not {len(codes)}")
    engagements = ws.engagements.list_records(municipality=codes[0])
    assessments = ws.assessments.list_records(municipality=codes[0])
    if not engagements or len(assessments) != len(ASSESSMENT_YEARS):
        raise AssertionError("the facades do not read the generated records")


def describe(counts: StoreCounts) -> str:
    return (
        f"{counts.municipalities} municipalities, {counts.engagements:,} engagements, "
        f"{counts.follow_ups:,} follow-ups ({counts.open_follow_ups:,} open), "
        f"{counts.assessments} assessments; {counts.megabytes:.0f} MB"
    )


if __name__ == "__main__":
    target = Path(sys.argv[1])
    made = build_large_store(target)
    print(f"{describe(made)} in {made.seconds:.1f} s at {target}")

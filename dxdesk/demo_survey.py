"""The demo's answers to the FY2024 (R6) survey, every question of the shipped definition.

Each municipality that answered has one response whose scored answers are its FY2024
assessment's scores (the assessment was made from them), and plausible answers to every other
question, leaning with the municipality's level (an advanced one more often says はい, ticks
more boxes, counts more staff). A few municipalities assessed in person never answered, so the
list of who has not answered shows something. No definition record is made: answers of a year
without a loaded definition are read under the shipped one, as a new folder's are.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from dxdesk.domain.survey_definition import Question, SurveyDefinition
from dxdesk.domain.survey_values import AnswerValue
from dxdesk.services.survey_definitions import shipped_definition
from dxdesk.services.workspace import Workspace

SURVEY_YEAR: Final = 2024
SURVEY_SEED: Final = 20241001
NOT_ANSWERED: Final = 4  # municipalities left without a response
SOURCE_NAME: Final = "R6_DX推進状況調査_回答（Forms）.xlsx"
# How likely an optional question is left blank (free text more often than the rest).
BLANK_TEXT: Final = 0.35
BLANK_OTHER: Final = 0.05
# A number's range by its unit, for a municipality of 10,000 people (scaled by size for counts
# of people and things; a share or a count of times is not).
NUMBER_RANGES: Final[Mapping[str, tuple[int, int, bool]]] = {
    "人": (1, 6, True),
    "名": (1, 6, True),
    "件": (2, 40, True),
    "台": (5, 60, True),
    "校": (1, 4, True),
    "箇所": (1, 8, True),
    "千円": (500, 8_000, True),
    "万円": (50, 800, True),
    "円": (500_000, 8_000_000, True),
    "%": (0, 100, False),
    "％": (0, 100, False),
    "回": (0, 12, False),
    "時間": (0, 40, False),
    "年": (1, 5, False),
    "か月": (1, 12, False),
    "ヶ月": (1, 12, False),
}
DEFAULT_RANGE: Final = (0, 20, False)
# Free text by what the question asks, found by a word in it; the first that matches.
TEXTS: Final[Sequence[tuple[tuple[str, ...], tuple[str, ...]]]] = (
    (
        ("課題",),
        (
            "担当職員が少なく、日常業務と並行してDXを進める余力がない。",
            "庁内でDXの目的が共有されておらず、各課の取組がばらばらになっている。",
            "システム標準化の移行作業に追われ、業務改革まで手が回らない。",
            "デジタルに詳しい職員が特定の人に偏っており、異動すると取組が止まる。",
            "予算の確保が難しく、効果を数字で説明できる材料が不足している。",
        ),
    ),
    (
        ("支援", "要望"),
        (
            "他団体の具体的な事例と、導入までの手順を知りたい。",
            "計画づくりや庁内説明の場に同席して助言してほしい。",
            "職員向けの研修を近隣の町と合同で開いてほしい。",
            "生成AIの利用ルールづくりについて相談したい。",
        ),
    ),
    (
        ("予定", "計画"),
        (
            "来年度、書かない窓口を住民課で試行する予定。",
            "電子申請の対象手続を年度内に20件程度まで広げる。",
            "庁内の会議資料をペーパーレス化し、タブレットを配備する。",
            "DX推進計画を改定し、KPIを見直す予定。",
        ),
    ),
    (
        ("産業", "事業者"),
        (
            "商工会と連携し、事業者向けのキャッシュレス導入セミナーを開いた。",
            "観光施設の予約をオンライン化する事業者に補助した。",
            "農業者向けにドローンの活用を実演する会を開いた。",
            "特になし。",
        ),
    ),
    (
        ("くらし",),
        (
            "防災アプリを導入し、避難所の開設状況を発信している。",
            "子育て支援の申請をオンラインで受け付けるようにした。",
            "高齢者向けのスマホ教室を地区ごとに開いた。",
            "特になし。",
        ),
    ),
    (
        ("",),  # anything else asked in words
        (
            "特になし。",
            "窓口の手続をオンラインで完結できるよう、申請様式の見直しを進めている。",
            "住民向けのスマホ教室を社会福祉協議会と共催している。",
            "庁内のチャットツール導入で、課をまたぐ連絡が早くなった。",
            "オープンデータの公開に向けて、掲載するデータの棚卸しを始めた。",
            "地域の事業者と連携し、キャッシュレス決済の導入を支援している。",
        ),
    ),
)
# How likely a yes/no question is answered はい, by the municipality's level.
YES_BY_LEVEL: Final[Mapping[int, float]] = {4: 0.85, 3: 0.65, 2: 0.4, 1: 0.2}
# A choice that says "none of these": never ticked with another one.
NONE_LABELS: Final = frozenset(
    {
        "特になし",
        "なし",
        "配置していない",
        "活用していない",
        "連携していない",
        "導入していない",
        "利用しない",
        "支援していない",
    }
)
# Questions that follow a scored item of the R6 definition (the item, the score from which it
# counts as done): while it is not done, the answer is "none", 0, いいえ, or no date.
FOLLOWS: Final[Mapping[str, tuple[str, int]]] = {
    # The plan's date: 1-1 lags in the programme's reading (demo_data.ITEM_DRAG), and one
    # revising an earlier 指針 (推進予定, 2) has a date too.
    "Q2-1": ("1-1", 2),
    "Q2-3": ("2-1", 3),  # the lead's rank: 配置していない without one
    "Q3-4": ("5-7", 3),  # outside people: 活用していない unless used
    "Q5-5": ("3-4", 3),  # a guideline for generative AI
    "Q5-6": ("3-5", 3),  # RPA's automated tasks
    "Q8-1": ("3-13", 3),  # open data sets
}
# Questions of the R6 definition asked only of those who said they do the thing: while the
# question they follow is answered "none" (支援していない), they are left blank.
ASKED_IF: Final[Mapping[str, str]] = {
    "Q7-2": "Q7-1",
    "Q7-3": "Q7-1",
    "Q7-4": "Q7-1",
    "Q7-5": "Q7-1",
}
# A single choice of the R6 definition that is one of another question's ticked choices
# (最も力を入れている取組 among the fields ticked).
PICKED_FROM: Final[Mapping[str, str]] = {"Q6-2": "Q6-1"}
# Dates of the R6 definition that lie ahead (the first fiscal year, how many years), e.g. when
# the move to the standard systems will be complete; any other date is in the last four years.
DATES_AHEAD: Final[Mapping[str, tuple[int, int]]] = {"Q4-1": (2025, 2)}
# Numbers of the R6 definition whose range is their own (low, high at level 2; scaled by size).
NUMBERS: Final[Mapping[str, tuple[int, int, bool]]] = {
    "Q1-4": (60, 110, True),  # regular staff, for 10,000 people
    "Q4-5": (40, 100, False),  # a training's attendance, %
    "Q5-1": (5, 40, True),  # procedures online
    "Q3-1": (2, 10, True),  # staff with an IT qualification
    "Q3-2": (5, 40, True),  # staff trained last year
    "Q5-6": (1, 8, False),  # tasks automated with RPA
    "Q8-1": (5, 60, False),  # open data sets
}


@dataclass(frozen=True)
class _Respondent:
    municipality: Mapping[str, Any]
    assessment: Mapping[str, Any]
    contact: Mapping[str, Any] | None
    answered_on: date

    @property
    def level(self) -> int:
        return int(self.assessment["level"] or 2)

    @property
    def people(self) -> int:
        return int(self.municipality.get("population") or 10_000)

    def done(self, follows: tuple[str, int]) -> bool:
        item, done_from = follows
        return int(self.assessment["scores"].get(item, 0)) >= done_from


def seed_survey_responses(ws: Workspace) -> int:
    """The FY2024 responses (after the assessments and contacts); how many were made."""
    stored = shipped_definition(SURVEY_YEAR)
    if stored is None:
        raise RuntimeError(f"the package ships no survey definition for {SURVEY_YEAR}")
    definition = stored.definition
    rng = random.Random(SURVEY_SEED)
    assessments = {
        a["municipality"]: a
        for a in ws.assessments.list_records()
        if a["fiscal_year"] == SURVEY_YEAR
    }
    roster = ws.municipalities.overview(assigned_only=False)
    silent = _not_answered(rng, [m["code"] for m in roster], assessments)
    made = 0
    for municipality in roster:
        code = municipality["code"]
        assessment = assessments.get(code)
        if assessment is None or code in silent:
            continue
        contacts = sorted(ws.contacts.list_records(municipality=code), key=lambda c: c["id"])
        who = _Respondent(
            municipality,
            assessment,
            rng.choice(contacts) if contacts else None,
            date.fromisoformat(assessment["assessed_on"]) - timedelta(days=rng.randint(3, 20)),
        )
        contact = who.contact or {}
        ws.survey_responses.add(
            {
                "municipality": code,
                "fiscal_year": SURVEY_YEAR,
                "definition": None,  # the shipped definition of the year
                "answers": _answers(rng, definition, who),
                "respondent": f"{contact.get('department', '')} {contact.get('name', '')}".strip(),
                "answered_on": who.answered_on.isoformat(),
                "imported_on": date(SURVEY_YEAR, 11, 5).isoformat(),
                "source_name": SOURCE_NAME,
            }
        )
        made += 1
    return made


def _not_answered(
    rng: random.Random, codes: Sequence[str], assessments: Mapping[str, Mapping[str, Any]]
) -> set[str]:
    """A few municipalities assessed in person (they never sent the form back)."""
    in_person = [c for c in codes if assessments.get(c, {}).get("method") == "in_person"]
    pool = in_person if len(in_person) >= NOT_ANSWERED else list(codes)
    return set(rng.sample(pool, NOT_ANSWERED))


def _answers(
    rng: random.Random, definition: SurveyDefinition, who: _Respondent
) -> dict[str, AnswerValue]:
    scores: Mapping[str, int] = who.assessment["scores"]
    answers: dict[str, AnswerValue] = {}
    for question in definition.questions:
        if question.type == "scored":
            if question.item and question.item in scores:
                answers[question.code] = scores[question.item]
            continue
        blank = BLANK_TEXT if question.type == "text" else BLANK_OTHER
        if not question.required and rng.random() < blank:
            continue
        if _said_none(definition, answers, ASKED_IF.get(question.code)):
            continue
        follows = FOLLOWS.get(question.code)
        done = None if follows is None else who.done(follows)
        picked_from = PICKED_FROM.get(question.code)
        if picked_from is not None:
            answer = _picked(rng, definition, question, answers.get(picked_from))
        else:
            answer = _answer(rng, definition, question, who, done=done)
        if answer is not None:
            answers[question.code] = answer
    return answers


def _said_none(
    definition: SurveyDefinition, answers: Mapping[str, AnswerValue], code: str | None
) -> bool:
    """Whether the question ``code`` was answered with a choice that says "none"."""
    if code is None or code not in definition.by_code:
        return False
    labels = {c.value: c.label for c in definition.choices_of(definition.question(code))}
    answer = answers.get(code)
    chosen = answer if isinstance(answer, list) else [answer]
    return any(labels.get(str(value)) in NONE_LABELS for value in chosen)


def _picked(
    rng: random.Random, definition: SurveyDefinition, question: Question, ticked: object
) -> AnswerValue | None:
    """One of the choices ticked in another question, or its "none" when nothing was."""
    values = {c.value for c in definition.choices_of(question)}
    among = [v for v in ticked if v in values] if isinstance(ticked, list) else []
    return rng.choice(among) if among else None


def _answer(
    rng: random.Random,
    definition: SurveyDefinition,
    question: Question,
    who: _Respondent,
    *,
    done: bool | None,
) -> AnswerValue | None:
    """``done``: whether the scored item the question follows is done; None if it follows none."""
    choices = definition.choices_of(question)
    some = [c.value for c in choices if c.label not in NONE_LABELS]
    none = [c.value for c in choices if c.label in NONE_LABELS]
    match question.type:
        case "single":
            if done is False and none:
                return none[-1]
            values = (some if done else None) or [c.value for c in choices]
            # Lists run from the most done to the least (利用している … 利用しない), as forms
            # put them: an advanced municipality leans to the front.
            weights = [_lean(index, len(values), who.level) for index in range(len(values))]
            return rng.choices(values, weights=weights)[0]
        case "multiple":
            share = 0.15 + 0.12 * who.level
            if done is False and none:
                return none[:1]
            if done is None and none and rng.random() < 0.25 - 0.05 * who.level:
                return none[:1]
            pool = some or [c.value for c in choices]
            ticked = max(1, round(len(pool) * share * rng.uniform(0.6, 1.3)))
            chosen = set(rng.sample(pool, min(ticked, len(pool))))
            return [v for v in pool if v in chosen]  # in the list's order
        case "number":
            return 0 if done is False else _number(rng, question, who)
        case "yes_no":
            return done is not False and rng.random() < YES_BY_LEVEL.get(who.level, 0.5)
        case "date":
            if done is False:
                return None
            if question.code == "Q1-3":
                return who.answered_on.isoformat()
            first, years = DATES_AHEAD.get(question.code, (SURVEY_YEAR - 3, 4))
            start = date(first + rng.randrange(years), 4, 1)
            return (start + timedelta(days=rng.randrange(365))).isoformat()
        case _:
            return _text(rng, question, who)


def _lean(index: int, count: int, level: int) -> float:
    """A choice's weight: flat in the middle levels, tilted to the front for 4, the back for 1."""
    if count <= 1:
        return 1.0
    position = index / (count - 1)  # 0 = first choice, 1 = last
    tilt = (level - 2.5) / 1.5  # -1 (level 1) … +1 (level 4)
    return max(0.1, 1.0 - tilt * (position - 0.5) * 1.6)


def _number(rng: random.Random, question: Question, who: _Respondent) -> int:
    low, high, by_size = NUMBERS.get(question.code) or NUMBER_RANGES.get(
        question.unit.strip(), DEFAULT_RANGE
    )
    if by_size:
        factor = max(0.3, min(40.0, who.people / 10_000)) ** 0.8
        low, high = round(low * factor), round(high * factor)
    if high == 100 and not by_size:  # a share: advanced municipalities report higher ones
        low = min(95, low + 10 * (who.level - 2))
    else:
        high = round(high * (0.6 + 0.2 * who.level))
    return rng.randint(low, max(low + 1, high))


def _text(rng: random.Random, question: Question, who: _Respondent) -> str:
    contact = who.contact or {}
    if question.code == "Q1-1" and contact.get("department"):
        return str(contact["department"])  # 回答される部署名
    if question.code == "Q1-2" and contact.get("title"):
        return str(contact["title"])  # 回答者の職名
    asked = question.text + question.section
    return rng.choice(next(texts for words, texts in TEXTS if any(w in asked for w in words)))

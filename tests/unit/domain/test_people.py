"""The people who know, as an article stores them: checked like any other field value."""

from __future__ import annotations

import pytest

from dxdesk.domain.errors import DomainError
from dxdesk.domain.people import person_line
from dxdesk.domain.record_fields import clean_fields
from dxdesk.domain.records import kind_spec

ARTICLE = kind_spec("article")


def _people(value: object) -> object:
    return clean_fields(ARTICLE, {"people": value}, partial=True)["people"]


def test_every_key_is_filled_and_text_trimmed() -> None:
    assert _people([{"name": " 山本 ", "role": "主査"}]) == [
        {"name": "山本", "organisation": "", "role": "主査", "contact": "", "contact_id": ""}
    ]


def test_the_same_person_twice_is_kept_once() -> None:
    assert len(_people([{"name": "山本"}, {"name": "山本"}, {"name": "佐藤"}])) == 2  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("山本", "人のリスト"),
        (["山本"], "オブジェクト"),
        ([{"role": "主査"}], "氏名は必須"),
        ([{"name": "山本", "age": "40"}], "age"),
        ([{"name": "山本", "contact": 5}], "連絡先は文字列"),
        ([{"name": "あ" * 501}], "長すぎます"),
        ([{"name": f"人{n}"} for n in range(51)], "50 人まで"),
    ],
)
def test_bad_people_are_refused_with_a_reason(value: object, message: str) -> None:
    with pytest.raises(DomainError, match=message):
        _people(value)


def test_engagement_links_are_ids() -> None:
    good = "0f276da6-871a-4901-b401-7e53246db618"
    cleaned = clean_fields(ARTICLE, {"engagements": [good, good.upper()]}, partial=True)
    assert cleaned["engagements"] == [good]
    with pytest.raises(DomainError, match="UUID"):
        clean_fields(ARTICLE, {"engagements": ["visit-1"]}, partial=True)


def test_a_new_article_starts_with_nobody_and_no_links() -> None:
    article = clean_fields(ARTICLE, {"title": "t"}, partial=False)
    assert (article["people"], article["engagements"], article["fiscal_year"]) == ([], [], None)


def test_person_line() -> None:
    assert person_line({"name": "山本", "organisation": "白浜町", "role": "主査"}) == (
        "山本（白浜町・主査）"
    )
    assert person_line({"name": "山本"}) == "山本"

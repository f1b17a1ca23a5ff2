"""An article drafted from a visit takes the visit's fiscal year, when an article can have it."""

from __future__ import annotations

from dxdesk.domain.knowledge_draft import draft_from_engagement
from dxdesk.domain.record_fields import clean_fields
from dxdesk.domain.records import kind_spec

VISIT_ID = "0b9f6c1e-3f4a-4c1e-9a5b-2d7e8f9a0b1c"


def _visit(day: str) -> dict[str, object]:
    return {"id": VISIT_ID, "municipality": "302015", "date": day, "title": "窓口BPR"}


def test_the_draft_takes_the_visits_fiscal_year() -> None:
    assert (
        draft_from_engagement(_visit("2026-03-31"), [], [], "和歌山市").fields["fiscal_year"]
        == 2025
    )


def test_a_visit_stored_with_an_early_date_drafts_an_article_that_can_be_saved() -> None:
    """1925-06-30 (a slip for 2025, saved before dates were bounded) has no fiscal year an
    article may take: the draft leaves it to the person instead of being refused."""
    draft = draft_from_engagement(_visit("1925-06-30"), [], [], "和歌山市")
    assert draft.fields["fiscal_year"] is None
    cleaned = clean_fields(kind_spec("article"), draft.fields, partial=False)
    assert cleaned["fiscal_year"] is None

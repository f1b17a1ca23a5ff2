"""Knowledge articles: drafts shared from a visit, and know-who gathered from every source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dxdesk.domain.errors import DomainError
from dxdesk.services.know_who import know_who
from dxdesk.services.knowledge_drafts import KnowledgeDrafts
from dxdesk.services.search import search
from dxdesk.services.workspace import Workspace, open_workspace

SHIRAHAMA, KUSHIMOTO = "304018", "304280"


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path)
    yield workspace
    workspace.close()


def _visit(ws: Workspace, **fields: object) -> str:
    payload = {
        "municipality": SHIRAHAMA,
        "date": "2026-03-10",
        "title": "RPA の横展開",
        "summary": "給与事務に RPA を入れた手順",
        "notes": "課長の私見: 人事異動が心配",
        "themes": ["業務効率化"],
        "municipal_attendees": ["森 誠", "田中"],
        **fields,
    }
    return str(ws.engagements.add(payload)["id"])


def test_a_draft_copies_the_practice_but_no_person_and_no_memo(ws: Workspace) -> None:
    visit = _visit(ws)
    ws.contacts.add(
        {"municipality": SHIRAHAMA, "name": "森誠", "department": "総務課", "email": "m@x.jp"}
    )
    ws.interviews.add({"engagement": visit, "interviewee": "田中", "role": "係長"})
    draft = KnowledgeDrafts(ws).start(visit)
    assert draft.fields["title"] == "白浜町: RPA の横展開"
    assert draft.fields["body"] == "給与事務に RPA を入れた手順"
    assert "私見" not in str(draft.fields)  # the free memo is not copied
    assert (draft.fields["fiscal_year"], draft.fields["municipality"]) == (2025, SHIRAHAMA)
    assert draft.fields["engagements"] == [visit] and draft.fields["people"] == []
    by_name = {p["name"]: p for p in draft.candidates}
    assert by_name["田中"]["role"] == "係長"  # from the interview note
    assert by_name["森誠"]["contact"] == "m@x.jp"  # the contact matched without the space
    assert by_name["森誠"]["contact_id"]


def test_a_saved_draft_comes_back_and_publishing_forgets_it(ws: Workspace) -> None:
    visit = _visit(ws)
    drafts = KnowledgeDrafts(ws)
    draft = drafts.start(visit)
    draft.fields["body"] = "書きかけ"
    drafts.save(draft)
    assert drafts.start(visit).fields["body"] == "書きかけ"
    assert ws.articles.list_records() == []  # a draft is not an article, and does not sync
    article = drafts.publish(drafts.start(visit))
    assert not drafts.has_draft(visit)
    assert ws.articles.get(article["id"])["body"] == "書きかけ"
    assert [h.id for h in search(ws.store, "書きかけ")] == [article["id"]]


def test_a_bad_draft_publishes_nothing_and_stays(ws: Workspace) -> None:
    visit = _visit(ws)
    drafts = KnowledgeDrafts(ws)
    draft = drafts.start(visit)
    draft.fields["title"] = " "
    drafts.save(draft)
    with pytest.raises(DomainError, match="必須"):
        drafts.publish(draft)
    assert ws.articles.list_records() == [] and drafts.has_draft(visit)


def test_know_who_gathers_articles_contacts_and_interviews(ws: Workspace) -> None:
    visit = _visit(ws)
    ws.contacts.add({"municipality": SHIRAHAMA, "name": "森 誠", "title": "主査"})
    ws.interviews.add({"engagement": visit, "interviewee": "田中", "role": "係長"})
    article = ws.articles.add(
        {
            "title": "オープンデータの担当",
            "municipality": KUSHIMOTO,
            "themes": ["オープンデータ"],
            "people": [{"name": "浜口", "organisation": "串本町 総務課", "role": "担当"}],
        }
    )
    people = {p.name: p for p in know_who(ws.store)}
    assert set(people) == {"森 誠", "田中", "浜口"}
    assert people["森 誠"].themes == ["業務効率化"]  # attended the visit on that theme
    assert people["田中"].sources[0].label == "2026-03-10 RPA の横展開"
    assert (people["浜口"].municipality_name, people["浜口"].sources[0].id) == (
        "串本町",
        article["id"],
    )
    assert [p.name for p in know_who(ws.store, theme="オープンデータ")] == ["浜口"]
    assert {p.name for p in know_who(ws.store, municipality=SHIRAHAMA)} == {"森 誠", "田中"}
    assert [p.name for p in know_who(ws.store, text="係長")] == ["田中"]


def test_the_same_person_from_two_sources_is_one_entry(ws: Workspace) -> None:
    visit = _visit(ws)
    ws.interviews.add({"engagement": visit, "interviewee": "森誠", "role": "主査"})
    ws.articles.add(
        {
            "title": "RPA",
            "municipality": SHIRAHAMA,
            "themes": ["RPA"],
            "people": [{"name": "森 誠", "contact": "0739-00-0000"}],
        }
    )
    [person] = know_who(ws.store, municipality=SHIRAHAMA, text="森")
    assert person.contact == "0739-00-0000" and person.role == "主査"
    assert person.themes == ["RPA", "業務効率化"]
    assert [s.kind for s in person.sources] == ["article", "interview"]


def test_a_deleted_article_leaves_know_who_and_search(ws: Workspace) -> None:
    article = ws.articles.add(
        {"title": "窓口改革", "people": [{"name": "浜口"}], "body": "人材の配置"}
    )
    assert [p.name for p in know_who(ws.store)] == ["浜口"]
    ws.articles.delete(article["id"])
    assert know_who(ws.store) == [] and search(ws.store, "人材") == []

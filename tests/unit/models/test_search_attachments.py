"""Search finds attached files by name and by the text inside them, and names the record each
is attached to; the text is extracted once per content, only from files on this laptop, a few
at a time, and a file with no readable text is not read again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text, update

from dxdesk.models.file_store import file_store_of
from dxdesk.models.tables import AttachmentRow, AttachmentText
from dxdesk.services.attachment_text import extract_missing, forget_texts, waiting_contents
from dxdesk.services.file_text import TEXT_SECONDS
from dxdesk.services.search import SearchHit, catch_up, search
from dxdesk.services.search_sql import TEXTS_PER_STEP
from dxdesk.services.workspace import Workspace, open_workspace
from tests.unit.file_samples import (
    blank_runs,
    docx_file,
    pdf_file,
    raw_pdf,
    text_stream,
    xlsx_file,
)
from tests.unit.models.attaching import attach

SHIRAHAMA = "304018"
WORD = "書かない窓口"  # inside the PDF, nowhere in the visit


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = open_workspace(tmp_path / "data")
    yield workspace
    workspace.close()


def _visit(ws: Workspace, **fields: object) -> str:
    payload = {"municipality": SHIRAHAMA, "date": "2025-06-12", "title": "窓口BPRの相談", **fields}
    return str(ws.engagements.add(payload)["id"])


def _plan(tmp_path: Path, name: str = "白浜町_計画案.pdf") -> Path:
    return pdf_file(tmp_path / name, [f"白浜町 窓口改革計画案\n{WORD}を令和8年度に導入する"])


def _hits(ws: Workspace, query: str, **filters: object) -> list[SearchHit]:
    return search(ws.store, query, **filters)  # type: ignore[arg-type]


def test_a_word_inside_a_pdf_finds_the_visit_it_is_attached_to(
    ws: Workspace, tmp_path: Path
) -> None:
    visit = _visit(ws, themes=["窓口BPR・庁内BPR"])
    attachment = attach(ws, "visit", visit, _plan(tmp_path))
    assert _hits(ws, WORD) == []  # its text is not read yet

    assert extract_missing(ws.store) == 1
    [hit] = _hits(ws, WORD)
    assert (hit.kind, hit.id, hit.title) == ("attachment", attachment, "白浜町_計画案.pdf")
    assert hit.opens == ("visit", visit)  # what the search dialog opens
    assert hit.parent_title == "窓口BPRの相談"
    assert f"【{WORD}】" in hit.snippet
    assert hit.as_json()["parent"] == visit
    assert hit.as_json()["parent_kind"] == "visit"
    # The visit's own filters find its files: municipality, fiscal year, theme, kind.
    filters = {"municipality": SHIRAHAMA, "fiscal_year": 2025, "theme": "窓口BPR・庁内BPR"}
    assert [h.id for h in _hits(ws, WORD, kind="attachment", **filters)] == [attachment]
    assert _hits(ws, WORD, fiscal_year=2024) == []
    assert _hits(ws, WORD, kind="visit") == []
    assert extract_missing(ws.store) == 0  # done once


def test_a_file_is_found_by_its_name_before_its_text_is_read(ws: Workspace, tmp_path: Path) -> None:
    visit = _visit(ws)
    photo = tmp_path / "ホワイトボード 2025-06-12.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4)
    attachment = attach(ws, "visit", visit, photo)
    assert [h.id for h in _hits(ws, "ホワイトボード")] == [attachment]
    assert [h.id for h in _hits(ws, "jpg")] == [attachment]
    assert extract_missing(ws.store) == 1  # a photo has no text: "" kept, not read again
    assert extract_missing(ws.store) == 0
    assert [h.id for h in _hits(ws, "ホワイトボード")] == [attachment]


def test_the_same_content_is_read_once_and_found_under_each_record(
    ws: Workspace, tmp_path: Path
) -> None:
    visit = _visit(ws)
    followup = str(
        ws.follow_ups.add(
            {"municipality": SHIRAHAMA, "engagement": visit, "description": "様式を送る"}
        )["id"]
    )
    article = str(ws.articles.add({"title": "窓口改革の進め方", "category": "know_how"})["id"])
    plan = _plan(tmp_path)
    on_visit = attach(ws, "visit", visit, plan)
    on_followup = attach(ws, "followup", followup, plan)
    on_article = attach(ws, "article", article, plan)
    assert extract_missing(ws.store) == 1
    found = {hit.id: hit for hit in _hits(ws, WORD)}
    assert {k: (h.opens, h.parent_title) for k, h in found.items()} == {
        on_visit: (("visit", visit), "窓口BPRの相談"),
        on_followup: (("followup", followup), "様式を送る"),
        on_article: (("article", article), "窓口改革の進め方"),
    }
    assert found[on_article].municipality is None  # prefecture-wide, as its article


def test_office_files_are_found_by_their_text(ws: Workspace, tmp_path: Path) -> None:
    visit = _visit(ws)
    word = attach(ws, "visit", visit, docx_file(tmp_path / "議事メモ.docx", ["庁内説明会の議事"]))
    sheet = attach(ws, "visit", visit, xlsx_file(tmp_path / "手続.xlsx", [["転入届の件数"]]))
    assert extract_missing(ws.store) == 2
    assert [h.id for h in _hits(ws, "庁内説明会")] == [word]
    assert [h.id for h in _hits(ws, "転入届")] == [sheet]


def test_only_files_on_this_laptop_are_read_a_few_at_a_time(ws: Workspace, tmp_path: Path) -> None:
    visit = _visit(ws)
    ids = [
        attach(ws, "visit", visit, docx_file(tmp_path / f"{n}.docx", [f"第{n}回の資料"]))
        for n in range(3)
    ]
    files = file_store_of(ws.store)
    with ws.store.session() as session:
        shas = {i: session.get_one(AttachmentRow, i).sha256 for i in ids}
    absent = files.path(shas[ids[0]])
    kept = absent.read_bytes()
    absent.unlink()  # as if not downloaded yet

    assert extract_missing(ws.store, limit=1) == 1
    assert extract_missing(ws.store, limit=5) == 1
    assert extract_missing(ws.store) == 0
    assert waiting_contents(ws.store) == [shas[ids[0]]]  # still waiting, not marked ""
    absent.write_bytes(kept)  # the download arrives
    assert extract_missing(ws.store) == 1
    assert [h.id for h in _hits(ws, "第0回")] == [ids[0]]


def test_a_broken_file_gets_no_text_and_is_not_read_again(ws: Workspace, tmp_path: Path) -> None:
    broken = tmp_path / "壊れた.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    attachment = attach(ws, "visit", _visit(ws), broken)
    assert extract_missing(ws.store) == 1
    with ws.store.session() as session:
        assert session.scalars(select(AttachmentText.text)).all() == [""]
    assert extract_missing(ws.store) == 0
    assert [h.id for h in _hits(ws, "壊れた")] == [attachment]


def test_a_cancelled_extraction_keeps_nothing(ws: Workspace, tmp_path: Path) -> None:
    attach(ws, "visit", _visit(ws), _plan(tmp_path))
    assert extract_missing(ws.store, cancel=lambda: True) == 0
    with ws.store.session() as session:
        assert session.scalars(select(AttachmentText)).all() == []
    assert extract_missing(ws.store) == 1


def test_a_deleted_attachment_is_no_longer_found(ws: Workspace, tmp_path: Path) -> None:
    attachment = attach(ws, "visit", _visit(ws), _plan(tmp_path))
    extract_missing(ws.store)
    assert len(_hits(ws, WORD)) == 1
    with ws.store.transaction() as session:  # a tombstone, as a delete or a pulled one leaves
        session.execute(
            update(AttachmentRow).where(AttachmentRow.id == attachment).values(deleted=True)
        )
    assert _hits(ws, WORD) == []
    assert _hits(ws, "計画案") == []


def test_a_step_of_catch_up_indexes_the_text_of_a_few_files_only(
    ws: Workspace, tmp_path: Path
) -> None:
    visit = _visit(ws)
    for n in range(TEXTS_PER_STEP * 2 + 1):
        attach(ws, "visit", visit, docx_file(tmp_path / f"{n}.docx", [f"第{n}回 {WORD}"]))
    catch_up(ws.store)  # the attachments are in by name
    assert extract_missing(ws.store) == TEXTS_PER_STEP * 2 + 1  # their texts queue them again

    def with_text() -> int:
        with ws.store.session() as session:
            return int(
                session.scalar(
                    text(
                        "SELECT count(*) FROM search_index "
                        "WHERE kind = 'attachment' AND instr(body, :word) > 0"
                    ),
                    {"word": WORD},
                )
            )

    steps = []
    while True:
        more = catch_up(ws.store, step=500)
        steps.append(with_text())
        if not more:
            break
    assert steps == [TEXTS_PER_STEP, TEXTS_PER_STEP * 2, TEXTS_PER_STEP * 2 + 1]
    assert len(_hits(ws, WORD)) == TEXTS_PER_STEP * 2 + 1


def test_the_text_of_a_file_leaves_with_its_last_attachment(ws: Workspace, tmp_path: Path) -> None:
    visit, other = _visit(ws), _visit(ws, title="別の相談")
    plan = _plan(tmp_path)
    first = attach(ws, "visit", visit, plan)
    second = attach(ws, "visit", other, plan)
    extract_missing(ws.store)

    def texts() -> list[str]:
        with ws.store.session() as session:
            return list(session.scalars(select(AttachmentText.text)))

    ws.attachments.delete(first)
    assert forget_texts(ws.store) == 0  # the other visit's copy still names the content
    assert len(texts()) == 1
    with ws.store.transaction() as session:  # as an eviction removes a municipality's rows
        session.execute(delete(AttachmentRow).where(AttachmentRow.id == second))
    assert extract_missing(ws.store) == 0  # forgets first, and has nothing to read
    assert texts() == []
    assert _hits(ws, WORD) == []


def _years(ws: Workspace, query: str, year: int) -> set[tuple[str, str]]:
    return {(h.kind, h.id) for h in _hits(ws, query, fiscal_year=year)}


def test_a_files_year_and_themes_follow_its_visit_when_it_is_corrected(
    ws: Workspace, tmp_path: Path
) -> None:
    visit = _visit(ws, themes=["窓口BPR・庁内BPR"])
    note = str(ws.interviews.add({"engagement": visit, "interviewee": "住民課長"})["id"])
    item = str(ws.follow_ups.add({"engagement": visit, "description": "計画案の確認"})["id"])
    ids = {
        kind: attach(ws, kind, parent, docx_file(tmp_path / f"{kind}.docx", [WORD]))
        for kind, parent in (("visit", visit), ("interview", note), ("followup", item))
    }
    files = {("attachment", id_) for id_ in ids.values()}
    extract_missing(ws.store)
    assert _years(ws, WORD, 2025) == files

    ws.engagements.update(visit, {"date": "2024-06-12", "themes": ["自治体DX推進体制"]})
    assert _years(ws, WORD, 2025) == set()
    assert _years(ws, WORD, 2024) == files
    assert _years(ws, "住民課長", 2024) == {("interview", note)}  # the note's year is the visit's
    assert _years(ws, "計画案の確認", 2024) == {("followup", item)}
    # The visit's file has the visit's themes (a note's and a follow-up's files have none).
    assert [h.id for h in _hits(ws, WORD, theme="自治体DX推進体制")] == [ids["visit"]]
    assert _hits(ws, WORD, theme="窓口BPR・庁内BPR") == []


def test_a_files_year_follows_its_article_and_its_follow_up(ws: Workspace, tmp_path: Path) -> None:
    article = str(ws.articles.add({"title": "窓口の改善", "fiscal_year": "R7"})["id"])
    item = str(
        ws.follow_ups.add(
            {"municipality": SHIRAHAMA, "description": "資料を送る", "due": "2025-05-01"}
        )["id"]
    )
    on_article = attach(ws, "article", article, docx_file(tmp_path / "a.docx", [WORD]))
    on_item = attach(ws, "followup", item, docx_file(tmp_path / "f.docx", [WORD]))
    extract_missing(ws.store)
    assert _years(ws, WORD, 2025) == {("attachment", on_article), ("attachment", on_item)}

    ws.articles.update(article, {"fiscal_year": "R6"})
    ws.follow_ups.update(item, {"due": "2026-05-01"})
    assert _years(ws, WORD, 2024) == {("attachment", on_article)}
    assert _years(ws, WORD, 2026) == {("attachment", on_item)}


def test_a_visit_saved_unchanged_queues_none_of_its_files(ws: Workspace, tmp_path: Path) -> None:
    visit = _visit(ws)
    attach(ws, "visit", visit, _plan(tmp_path))
    catch_up(ws.store)
    ws.engagements.update(visit, {"title": "窓口BPRの相談（第2回）"})
    with ws.store.session() as session:
        queued = session.execute(text("SELECT kind FROM search_queue")).scalars().all()
    assert queued == ["visit"]


def test_a_file_too_slow_to_read_keeps_what_was_read_and_is_not_read_again(
    ws: Workspace, tmp_path: Path
) -> None:
    # Its first page has text; the next 40 share one stream that takes about 1.5 s a page to
    # parse for no text (a minute in all without the time limit).
    heavy = raw_pdf(
        tmp_path / "drawing.pdf",
        [text_stream("Shirahama counter plan"), blank_runs(1.5)],
        [0] + [1] * 40,
    )
    attachment = attach(ws, "visit", _visit(ws), heavy)
    started = time.monotonic()
    assert extract_missing(ws.store) == 1
    assert time.monotonic() - started < 4 * TEXT_SECONDS  # generous: a bound, not a benchmark
    assert waiting_contents(ws.store) == []
    assert extract_missing(ws.store) == 0  # kept: not read again at the next start or sync
    assert [h.id for h in _hits(ws, "counter plan")] == [attachment]

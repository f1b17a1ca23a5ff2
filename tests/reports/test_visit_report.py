"""The visit summary PDF, read back with poppler: fonts, text, pages, line breaking, markings."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from sqlalchemy import delete

from dxdesk.cli.main import main
from dxdesk.models.outbox_tables import PendingChange
from dxdesk.reports.document import (
    CONTENT_WIDTH,
    FONT,
    ReportError,
    build_pdf,
    para,
    register_fonts,
    styles,
    table,
)
from dxdesk.reports.linebreak import NO_LINE_END, NO_LINE_START, JapaneseParagraph, break_lines
from dxdesk.reports.visit import follow_up_rows, load_visit, render_visit, write_visit_report
from dxdesk.services.workspace import Workspace, open_workspace
from tests.reports.pdf_tools import (
    page_count,
    page_texts,
    pdf_fonts,
    pdf_text,
    require_poppler,
    squash,
    text_lines,
)

JST = timezone(timedelta(hours=9))
MADE_AT = datetime(2025, 6, 20, 9, 5, tzinfo=JST)
NOTES = (
    "庁内のDX推進体制について意見交換した。\n"
    "課題: 申請書の様式が課ごとに違う & 押印が残る <紙の決裁> が多い。\n"
    "\n"
    "次回までに窓口の手続き一覧（上位20件）を共有いただく。"
)
FOLLOW_UPS = [
    {"description": "手続き一覧の様式を送る", "owner": "県DX推進課 山本", "due": "2025-06-30"},
    {"description": "書かない窓口の先行事例を紹介する", "owner": "アドバイザー 佐藤"},
    {"description": "庁内説明会の日程を調整する", "due": "2025-07-15", "status": "in_progress"},
]


@pytest.fixture
def poppler() -> None:
    require_poppler()


def add_visit(
    ws: Workspace, *, notes: str = NOTES, follow_ups: list[dict[str, Any]] | None = None
) -> str:
    engagement = ws.engagements.add(
        {
            "municipality": "302015",
            "date": "2025-06-12",
            "type": "visit",
            "mode": "対面",
            "title": "窓口BPRの相談",
            "municipal_attendees": ["情報政策課 田中課長", "市民課 鈴木"],
            "advisor_attendees": ["佐藤"],
            "themes": ["窓口BPR・庁内BPR", "DX人材育成・確保"],
            "summary": "書かない窓口の検討を始める。",
            "notes": notes,
        }
    )
    ws.interviews.add(
        {
            "engagement": engagement["id"],
            "interviewee": "田中",
            "role": "情報政策課長",
            "notes": "職員の負担感が大きいのは転入の手続き。",
        }
    )
    for item in FOLLOW_UPS if follow_ups is None else follow_ups:
        ws.follow_ups.add({"engagement": engagement["id"], **item})
    return str(engagement["id"])


def mark_all_synced(ws: Workspace) -> None:
    """What a completed sync leaves behind: nothing pending."""
    with ws.store.transaction() as session:
        session.execute(delete(PendingChange))


def render(ws: Workspace, visit_id: str, path: Path, *, internal: bool = True) -> Path:
    """The 内部用 edition unless asked: it prints everything the record holds."""
    return write_visit_report(ws, visit_id, path, internal=internal, made_at=MADE_AT)


# -- fonts and text ------------------------------------------------------------------------


@pytest.mark.usefixtures("poppler")
def test_only_ipaex_gothic_is_used_embedded_as_a_subset(
    workspace: Workspace, tmp_path: Path
) -> None:
    pdf = render(workspace, add_visit(workspace), tmp_path / "visit.pdf")
    fonts = pdf_fonts(pdf)
    assert fonts, "no fonts listed"
    for font in fonts:
        # "ABCDEF+IPAexGothic": a subset; no Helvetica or other font a printer would substitute.
        assert font["name"].split("+")[-1] == "IPAexGothic", font
        assert "+" in font["name"], font
        assert (font["emb"], font["sub"], font["uni"]) == ("yes", "yes", "yes"), font


@pytest.mark.usefixtures("poppler")
def test_text_gives_back_the_record_and_every_follow_up(
    workspace: Workspace, tmp_path: Path
) -> None:
    visit_id = add_visit(workspace)
    pdf = render(workspace, visit_id, tmp_path / "visit.pdf")
    text = squash(pdf_text(pdf))
    for expected in (
        "相談記録",
        "和歌山市",
        "令和7年6月12日（木）",
        "訪問",
        "対面",
        "窓口BPRの相談",
        "情報政策課田中課長、市民課鈴木",
        "窓口BPR・庁内BPR、DX人材育成・確保",
        "書かない窓口の検討を始める。",
        "田中（情報政策課長）職員の負担感が大きいのは転入の手続き。",
        "作成令和7年6月20日09:05",
    ):
        assert squash(expected) in text, expected
    assert squash(NOTES) in text  # & < > print as themselves, nothing is lost or doubled
    assert "&amp;" not in text and "&lt;" not in text
    follow_ups = workspace.follow_ups.list_records(engagement=visit_id)
    rows = follow_up_rows(follow_ups)
    assert len(rows) == len(FOLLOW_UPS)
    for row in rows:  # drawn cell by cell, so a row reads as one run: No. what owner due status
        assert squash("".join(row)) in text, row
    assert squash("1手続き一覧の様式を送る県DX推進課山本令和7年6月30日未着手") in text
    assert squash("庁内説明会の日程を調整する令和7年7月15日対応中") in text


# -- a long record -------------------------------------------------------------------------

NUMBERED_LINES = 1500  # about 33 pages of notes


@pytest.fixture(scope="module")
def long_visit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str], Any]]:
    require_poppler()
    root = tmp_path_factory.mktemp("long-visit")
    lines = [
        f"{i:04d}番目の記録：窓口の手続きを一つずつ見直し、書かない窓口の範囲を広げる。"
        for i in range(1, NUMBERED_LINES + 1)
    ]
    notes = "\n".join(line + ("\n" if i % 10 == 0 else "") for i, line in enumerate(lines, 1))
    follow_ups = [
        {"description": f"フォローアップ{i:03d}：資料を確認して回答する", "owner": f"担当{i % 7}"}
        for i in range(1, 201)
    ]
    ws = open_workspace(root / "data")
    try:
        report = load_visit(ws, add_visit(ws, notes=notes, follow_ups=follow_ups))
        pdf = render_visit(report, root / "long.pdf", made_at=MADE_AT, internal=True)
    finally:
        ws.close()
    yield pdf, lines, follow_up_rows(report.follow_ups)


def test_every_line_of_long_notes_is_printed_in_order(
    long_visit: tuple[Path, list[str], Any],
) -> None:
    pdf, lines, _ = long_visit
    printed = text_lines(pdf)
    positions = {line: i for i, line in enumerate(printed)}
    missing = [line for line in lines if line not in positions]
    assert not missing, f"{len(missing)} lines missing, first: {missing[:3]}"
    order = [positions[line] for line in lines]
    assert order == sorted(order)
    assert page_count(pdf) >= 30


def test_every_one_of_200_follow_ups_is_printed_under_a_repeated_header(
    long_visit: tuple[Path, list[str], Any],
) -> None:
    pdf, _, rows = long_visit
    assert len(rows) == 200
    pages = [squash(page) for page in page_texts(pdf)]
    text = "".join(pages)
    for row in rows:
        assert squash("".join(row)) in text, row
    with_rows = [page for page in pages if "フォローアップ" in page and "回答する" in page]
    assert len(with_rows) >= 2
    assert all("No.内容担当期限状態" in page for page in with_rows)


def test_footer_numbers_pages_one_of_n_to_n_of_n(
    long_visit: tuple[Path, list[str], Any],
) -> None:
    pdf, _, _ = long_visit
    total = page_count(pdf)
    pages = page_texts(pdf)
    assert len(pages) == total
    for number, page in enumerate(pages, start=1):
        assert f"{number} / {total}" in page, number
        assert "相談記録（内部用）" in page and "和歌山市" in page
        assert "作成 令和7年6月20日 09:05" in page


@pytest.mark.usefixtures("poppler")
def test_a_cell_taller_than_a_page_is_split_not_cut(tmp_path: Path) -> None:
    lines = [f"{i:03d}行目：ひとつのセルに入った非常に長い説明。" for i in range(1, 301)]
    rows = [["1", "\n".join(lines)], ["2", "次の行"]]
    story = [table(["No.", "内容"], rows, [40, CONTENT_WIDTH - 40])]
    pdf = build_pdf(
        tmp_path / "cell.pdf",
        story,
        title="表",
        municipality="和歌山市",
        made_at=MADE_AT,
        unsynced=False,
    )
    printed = text_lines(pdf)
    # The first line shares its text line with the row's "1".
    assert [line.removeprefix("1 ") for line in printed if "行目：" in line] == lines
    assert "2 次の行" in printed
    assert page_count(pdf) >= 5
    assert all("No.内容" in squash(page) for page in page_texts(pdf))


# -- Japanese line breaking ----------------------------------------------------------------


@pytest.mark.usefixtures("poppler")
def test_no_line_starts_with_a_closing_mark_or_ends_with_an_opening_one(
    workspace: Workspace, tmp_path: Path
) -> None:
    per_line = int(CONTENT_WIDTH // 10)  # full-width characters of the 10 pt body per line
    crafted = [
        "あ" * per_line + "。次の文。",  # 。 would open line two
        "い" * per_line + "、次の文。",
        "う" * (per_line - 1) + "。」と話した。",  # 。 fits, 」 would open line two
        "え" * per_line + "）です。",
        "か" * per_line + "。」と続く。",  # reportlab hangs 。 and opens line two with 」
        "お" * (per_line - 1) + "「かぎ」です。",  # 「 would end line one
    ]
    pdf = render(workspace, add_visit(workspace, notes="\n".join(crafted)), tmp_path / "k.pdf")
    printed = text_lines(pdf, "layout")
    starts = [line for line in printed if line[0] in "。、」）』】"]
    ends = [line for line in printed if line[-1] in "「（『"]
    assert not starts and not ends, (starts, ends)
    text = squash(pdf_text(pdf))
    assert all(squash(c) in text for c in crafted)
    # The break moved back a character rather than letting the mark hang in the margin.
    assert "あ" * (per_line - 1) in printed
    assert "あ。次の文。" in printed
    assert "う" * (per_line - 2) in printed
    assert "う。」と話した。" in printed


def test_lines_never_exceed_their_width() -> None:
    font = register_fonts()
    text = (
        "本市では、「書かない窓口」（仮称）の導入に向け、転入・転出の手続きを見直した。"
        "DX推進計画（2025年度版）では、オンライン申請率を30%に、処理時間を半分に……とする。"
        "ちょっとしたことでも、サーバーの「相談」（無料）をどうぞ。」と言った。" * 3
    )
    for width in (57.3, 100.0, 133.7, CONTENT_WIDTH):
        lines = break_lines(text, font, 10, [width])
        assert "".join(line for _, line in lines) == text
        for extra, line in lines:
            assert stringWidth(line, FONT, 10) <= width + 1e-6, (width, line)
            assert extra >= -1e-6
        for (_, before), (_, after) in pairwise(lines):
            # (A run of marks longer than a line would have to break; these runs are short.)
            assert after[0] not in NO_LINE_START and before[-1] not in NO_LINE_END, (before, after)


def test_paragraph_escapes_markup_and_keeps_line_breaks() -> None:
    paragraph = para("A & B <b>太字</b>\n二行目", styles().body)
    paragraph.wrap(CONTENT_WIDTH, 1000)
    assert [words[0] for _, words in paragraph.blPara.lines] == ["A & B <b>太字</b>", "二行目"]


# -- markings ------------------------------------------------------------------------------


@pytest.mark.usefixtures("poppler")
def test_confidential_marking_on_the_internal_edition_only(
    workspace: Workspace, tmp_path: Path
) -> None:
    visit_id = add_visit(workspace, notes="\n".join(f"{i}行目" for i in range(120)))
    marked = render(workspace, visit_id, tmp_path / "marked.pdf")
    plain = render(workspace, visit_id, tmp_path / "plain.pdf", internal=False)
    marked_pages = page_texts(marked)
    assert len(marked_pages) >= 2
    assert all("取扱注意" in page for page in marked_pages)
    assert "取扱注意" not in pdf_text(plain)


@pytest.mark.usefixtures("poppler")
def test_footer_says_whether_the_record_had_unsynced_changes(
    workspace: Workspace, tmp_path: Path
) -> None:
    visit_id = add_visit(workspace)
    fresh = pdf_text(render(workspace, visit_id, tmp_path / "fresh.pdf"))
    assert "未同期の変更あり" in fresh and "同期済み" not in fresh

    mark_all_synced(workspace)
    synced = pdf_text(render(workspace, visit_id, tmp_path / "synced.pdf"))
    assert "同期済み" in synced and "未同期" not in synced

    # A follow-up edited since is part of what the report shows.
    follow_up = workspace.follow_ups.list_records(engagement=visit_id)[0]
    workspace.follow_ups.update(follow_up["id"], {"status": "done"})
    edited = pdf_text(render(workspace, visit_id, tmp_path / "edited.pdf"))
    assert "未同期の変更あり" in edited


def test_a_failed_build_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    class Broken(JapaneseParagraph):
        def wrap(self, *args: Any) -> Any:
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        build_pdf(
            target,
            [Broken("x", styles().body)],
            title="t",
            municipality="m",
            made_at=MADE_AT,
            unsynced=False,
        )
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]
    with pytest.raises(ReportError, match="フォルダ"):
        build_pdf(
            tmp_path / "missing" / "r.pdf",
            [],
            title="t",
            municipality="m",
            made_at=MADE_AT,
            unsynced=False,
        )


# -- the command ---------------------------------------------------------------------------


def run_cli(data_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(["--data-dir", str(data_dir), *args])
    except SystemExit as exc:  # argparse's own exits
        status = int(exc.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.usefixtures("poppler")
def test_cli_writes_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_dir = tmp_path / "data"
    ws = open_workspace(data_dir)
    try:
        visit_id = add_visit(ws)
    finally:
        ws.close()
    out_file = tmp_path / "相談記録.pdf"
    status, out, err = run_cli(
        data_dir, capsys, "report", "visit", visit_id, "-o", str(out_file), "--internal"
    )
    assert status == 0, err
    assert str(out_file) in out
    assert out_file.read_bytes().startswith(b"%PDF")
    assert "取扱注意" in pdf_text(out_file)


@pytest.mark.parametrize(
    ("visit_id", "says"),
    [
        ("0b7e3a52-4f0c-4d8e-9a57-1c2d3e4f5a6b", "はありません"),
        ("not-an-id", "UUID ではありません"),
    ],
    ids=["unknown", "not-a-uuid"],
)
def test_cli_unknown_visit_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], visit_id: str, says: str
) -> None:
    out_file = tmp_path / "r.pdf"
    status, out, err = run_cli(
        tmp_path / "data", capsys, "report", "visit", visit_id, "-o", str(out_file)
    )
    assert (status, out) == (2, "")
    assert len(err.splitlines()) == 1, err
    assert err.startswith("dxdesk: エラー: ") and visit_id in err and says in err, err
    assert not out_file.exists()

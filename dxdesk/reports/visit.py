"""The visit summary of one engagement, in two editions.

配布用 (the default) is what the municipality is handed: date, kind, attendees, themes, 概要 and
the follow-ups. The advisor's メモ, what each staff member said in the interviews and the state
of the advisor's sync are not for them, so it leaves them out. 内部用 has everything, with the
sync state, and is stamped 取扱注意 on every page; it also lists the files attached to the visit,
its interview notes and its follow-ups (name, size, what each is attached to), which the
配布用 edition never names.

A consultation that is only planned (予定) or was cancelled (中止) is no record of a meeting:
both editions say so in the title on every page and in a line under it, with its times and
place, so a printed "next consultation" cannot be taken for one that was held.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from dxdesk.domain.file_sizes import file_size_text
from dxdesk.domain.fiscal_year import format_date_ja
from dxdesk.domain.national_schemes import national_schemes
from dxdesk.domain.records import kind_spec
from dxdesk.domain.vocabulary import (
    ENGAGEMENT_TYPES,
    FOLLOW_UP_STATUSES,
    MODES,
    RECORD_STATUSES,
)
from dxdesk.reports.document import CONTENT_WIDTH, build_pdf, para, paras, styles, table
from dxdesk.services.records import Record
from dxdesk.services.workspace import Workspace

TITLE: Final = "相談記録"
INTERNAL: Final = "内部用"
INTERNAL_NOTE: Final = "メモとヒアリングの内容を含む内部用です。市町村へは配布用をお渡しください。"
NOTHING: Final = "（記載なし）"
ATTACHMENTS: Final = "添付ファイル"
TIME: Final = "時間"
HELD: Final = "held"
# What a consultation that was not held is, under the title: it is not a record of a meeting.
NOT_HELD: Final = {
    "planned": "予定（未実施）: まだ実施していない相談の予定です。実施の記録ではありません。",
    "cancelled": "中止: この相談は実施しませんでした。実施の記録ではありません。",
}


@dataclass(frozen=True)
class VisitReport:
    """What the report shows, read in one go so rendering needs no database."""

    engagement: Record
    municipality: str  # the name, e.g. 和歌山市
    interviews: list[Record]
    follow_ups: list[Record]
    unsynced: bool
    # The files attached to the visit, then to each interview note and follow-up, in the
    # order they were attached: (what it is attached to, the attachment).
    attachments: list[tuple[str, Record]] = field(default_factory=list)


def load_visit(ws: Workspace, engagement_id: str) -> VisitReport:
    """Read an engagement and what was taken at it; raises ``RecordNotFound`` when absent."""
    engagement = ws.engagements.get(engagement_id)
    interviews = ws.interviews.list_records(engagement=engagement["id"])
    follow_ups = ws.follow_ups.list_records(engagement=engagement["id"])
    keys = [("visit", engagement["id"])]
    keys += [("interview", r["id"]) for r in interviews]
    keys += [("followup", r["id"]) for r in follow_ups]
    attachments = _attachments(ws, engagement, interviews, follow_ups)
    keys += [("attachment", str(a["id"])) for _, a in attachments]
    return VisitReport(
        engagement=engagement,
        municipality=ws.municipalities.get(engagement["municipality"])["name"],
        interviews=interviews,
        follow_ups=follow_ups,
        # A file whose bytes have not gone up yet is not synced either.
        unsynced=ws.store.has_pending(keys) or any(a.get("waiting") for _, a in attachments),
        attachments=attachments,
    )


def _attachments(
    ws: Workspace, engagement: Record, interviews: list[Record], follow_ups: list[Record]
) -> list[tuple[str, Record]]:
    parents = [("visit", engagement["id"], kind_spec("visit").label)]
    parents += [
        ("interview", note["id"], f"{kind_spec('interview').label}：{_who(note)}")
        for note in interviews
    ]
    parents += [
        ("followup", item["id"], f"{kind_spec('followup').label} No.{number}")
        for number, item in enumerate(follow_ups, start=1)
    ]
    found: list[tuple[str, Record]] = []
    for kind, record_id, label in parents:
        attached = ws.attachments.list_for(kind, record_id)
        attached.sort(key=lambda a: (str(a["created_at"]), str(a["name"])))
        found += [(label, a) for a in attached]
    return found


def attachment_rows(attachments: Sequence[tuple[str, Record]]) -> list[list[str]]:
    """No., file name, size, attached to: the cells of the attachments table, as printed."""
    return [
        [str(number), str(a["name"]), file_size_text(int(a["size"])), label]
        for number, (label, a) in enumerate(attachments, start=1)
    ]


def format_date(value: str | None, *, weekday: bool = False) -> str:
    """``2025-06-12`` as ``令和7年6月12日`` (with ``（木）`` when asked); empty stays empty."""
    return format_date_ja(date.fromisoformat(value), weekday=weekday) if value else ""


def _joined(values: Sequence[str]) -> str:
    return "、".join(values)


def _text(text: str | None) -> list[Any]:
    s = styles()
    return paras(text, s.body) if text and text.strip() else [para(NOTHING, s.small)]


def follow_up_rows(follow_ups: Sequence[Record]) -> list[list[str]]:
    """No., what, owner, due, status: the cells of the follow-up table, as printed."""
    return [
        [
            str(number),
            item["description"],
            item.get("owner") or "",
            format_date(item.get("due")),
            FOLLOW_UP_STATUSES.get(item["status"], item["status"]),
        ]
        for number, item in enumerate(follow_ups, start=1)
    ]


def status_of(engagement: Record) -> str:
    """planned, held or cancelled; a record kept before the calendar was held."""
    return str(engagement.get("status") or HELD)


def title(*, internal: bool, status: str = HELD) -> str:
    """相談記録, 相談記録（内部用）, 相談記録（予定）, 相談記録（中止・内部用）…"""
    marks = [] if status == HELD else [RECORD_STATUSES.get(status, status)]
    marks += [INTERNAL] if internal else []
    return f"{TITLE}（{'・'.join(marks)}）" if marks else TITLE


def time_text(start: str | None, end: str | None) -> str:
    """「10:00〜11:30」, 「10:00〜」 with no end; "" with no start (all day)."""
    return f"{start}〜{end or ''}" if start else ""


def fact_rows(report: VisitReport) -> list[tuple[str, str]]:
    """Label and value of each line of the header table, as printed: 状態 when it was not
    held, 時間, 場所 and 国の制度 when they are set."""
    e = report.engagement
    spec = kind_spec("visit")

    def label(name: str) -> str:
        return spec.field(name).label

    status = status_of(e)
    when = [(label("date"), format_date(e["date"], weekday=True))]
    if status != HELD:
        when.append((label("status"), RECORD_STATUSES.get(status, status)))
    if e.get("start_time"):
        when.append((TIME, time_text(e.get("start_time"), e.get("end_time"))))
    if (e.get("place") or "").strip():
        when.append((label("place"), e["place"].strip()))
    kind = [(label("type"), ENGAGEMENT_TYPES.get(e["type"], e["type"]))]
    if e.get("scheme"):
        kind.append((label("scheme"), national_schemes().get(e["scheme"], e["scheme"])))
    return [
        (label("municipality"), report.municipality),
        *when,
        *kind,
        (label("mode"), MODES.get(e["mode"], e["mode"])),
        (label("title"), e.get("title") or ""),
        (label("municipal_attendees"), _joined(e.get("municipal_attendees") or [])),
        (label("advisor_attendees"), _joined(e.get("advisor_attendees") or [])),
        (label("themes"), _joined(e.get("themes") or [])),
    ]


def visit_story(report: VisitReport, *, internal: bool = False) -> list[Any]:
    """The facts, 概要 and follow-ups; with ``internal``, the メモ and interviews as well."""
    s = styles()
    e = report.engagement
    spec = kind_spec("visit")

    def label(name: str) -> str:
        return spec.field(name).label

    status = status_of(e)
    label_width = 42 * mm
    story: list[Any] = [para(title(internal=internal, status=status), s.title)]
    if status != HELD:
        story.append(para(NOT_HELD.get(status, RECORD_STATUSES.get(status, status)), s.heading))
    if internal:
        story += [para(INTERNAL_NOTE, s.small), Spacer(1, 2 * mm)]
    widths = [label_width, CONTENT_WIDTH - label_width]
    story.append(table(None, fact_rows(report), widths, label_column=True))
    story += [para(label("summary"), s.heading), *_text(e.get("summary"))]
    if internal:
        story += [para(label("notes"), s.heading), *_text(e.get("notes"))]
        story += _interviews(report.interviews)

    story.append(para(kind_spec("followup").label, s.heading))
    if not report.follow_ups:
        story.append(para(NOTHING, s.small))
    else:
        widths = [12 * mm, 0.0, 30 * mm, 30 * mm, 18 * mm]
        widths[1] = CONTENT_WIDTH - sum(widths)
        header = ["No.", "内容", "担当", "期限", "状態"]
        story.append(table(header, follow_up_rows(report.follow_ups), widths))
    if internal:
        story += _attachment_story(report.attachments)
    return story


def _attachment_story(attachments: Sequence[tuple[str, Record]]) -> list[Any]:
    s = styles()
    story: list[Any] = [para(ATTACHMENTS, s.heading)]
    if not attachments:
        return [*story, para(NOTHING, s.small)]
    widths = [12 * mm, 0.0, 22 * mm, 48 * mm]
    widths[1] = CONTENT_WIDTH - sum(widths)
    header = ["No.", "ファイル名", "サイズ", "添付先"]
    return [*story, table(header, attachment_rows(attachments), widths)]


def _who(note: Record) -> str:
    return str(note["interviewee"]) + (f"（{note['role']}）" if note.get("role") else "")


def _interviews(interviews: Sequence[Record]) -> list[Any]:
    s = styles()
    story: list[Any] = [para(kind_spec("interview").label, s.heading)]
    if not interviews:
        story.append(para(NOTHING, s.small))
    for note in interviews:
        story += [para(_who(note), s.subheading), *_text(note.get("notes"))]
    return story


def render_visit(
    report: VisitReport, path: Path, *, made_at: datetime, internal: bool = False
) -> Path:
    """The 配布用 edition at ``path``, or with ``internal`` the 内部用 one (stamped 取扱注意,
    with the sync state in the footer)."""
    return build_pdf(
        path,
        visit_story(report, internal=internal),
        title=title(internal=internal, status=status_of(report.engagement)),
        municipality=report.municipality,
        made_at=made_at,
        unsynced=report.unsynced if internal else None,
        confidential=internal,
    )


def write_visit_report(
    ws: Workspace,
    engagement_id: str,
    path: Path,
    *,
    internal: bool = False,
    made_at: datetime | None = None,
) -> Path:
    """Read the engagement and write its summary PDF at ``path``, the 配布用 edition unless
    ``internal``; returns the path written."""
    report = load_visit(ws, engagement_id)
    when = made_at if made_at is not None else datetime.now().astimezone()
    return render_visit(report, path, made_at=when, internal=internal)

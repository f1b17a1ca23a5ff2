"""The user's records as one Excel workbook: 相談記録 (with status, times, place and national
scheme), ヒアリング, フォローアップ (with the 合同の場 it came from), 連絡先, アセスメント,
ナレッジ (articles, their people as readable text: reports/xlsx_columns.py), the programme
calendar's 合同の場, 定例の間隔 and 年度計画 (reports/xlsx_calendar.py), and
添付ファイル (each attached file's name, size, what it is attached to, municipality, who added it
and when, and its SHA-256: the list of the files, not their bytes, which a backup carries).

Everything is read through the workspace facades, which never hand out deleted records, and
shown as people read it: Japanese headers and choice labels, the municipality's name beside
its code, dates as Excel dates. Each sheet is laid out by reports/xlsx_sheet.py: a frozen
header row, an auto filter over its data, columns fitted to their contents, long text wrapped;
printed (from Excel or LibreOffice) on A4 landscape, one page wide (アセスメント two, 年度 and
the municipality on each) with its header row on every page, the IDs in the file but not on
paper.
得点率 is the exact ratio under a whole-percent format, which shows what the app shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from dxdesk.domain.catalog import load_catalog
from dxdesk.domain.errors import DomainError
from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.national_schemes import national_schemes
from dxdesk.domain.records import ATTACHMENT_PARENTS
from dxdesk.domain.support_levels import format_level
from dxdesk.domain.vocabulary import (
    ARTICLE_CATEGORIES,
    ASSESSMENT_METHODS,
    ENGAGEMENT_TYPES,
    FOLLOW_UP_STATUSES,
    MODES,
)
from dxdesk.reports.assessment_data import record_ratio
from dxdesk.reports.xlsx_calendar import (
    CADENCES_SHEET,
    EVENTS_SHEET,
    PLANS_SHEET,
    cadences_table,
    events_table,
    plans_table,
    status_column,
    time_columns,
)
from dxdesk.reports.xlsx_columns import (
    CODE_HEADER,
    ID_HEADER,
    NAME_HEADER,
    Column,
    Names,
    as_date,
    choice_column,
    day_column,
    joined,
    label,
    make_table,
    municipality_names,
    people_text,
    place_columns,
    text_column,
)
from dxdesk.reports.xlsx_columns import Table as Table  # re-exported: survey_workbook uses it
from dxdesk.reports.xlsx_columns import Value as Value

# Re-exported: survey_workbook, csv_export and tests take them from here.
from dxdesk.reports.xlsx_sheet import CELL_TEXT_LIMIT as CELL_TEXT_LIMIT
from dxdesk.reports.xlsx_sheet import MAX_WIDTH as MAX_WIDTH
from dxdesk.reports.xlsx_sheet import RATIO_FORMAT as RATIO_FORMAT
from dxdesk.reports.xlsx_sheet import save_atomically as save_atomically
from dxdesk.reports.xlsx_sheet import write_sheet as write_sheet
from dxdesk.services.records import Record
from dxdesk.services.workspace import Workspace

ENGAGEMENTS_SHEET = "相談記録"
INTERVIEWS_SHEET = "ヒアリング"
FOLLOW_UPS_SHEET = "フォローアップ"
CONTACTS_SHEET = "連絡先"
ASSESSMENTS_SHEET = "アセスメント"
ARTICLES_SHEET = "ナレッジ"
ATTACHMENTS_SHEET = "添付ファイル"
PREFECTURE_WIDE = "県全体"  # an article's or event's files: every advisor has them

# The kinds as the CLI spells them -> their sheet (reports/csv_export.py writes one as CSV).
KIND_SHEETS = {
    "visit": ENGAGEMENTS_SHEET,
    "interview": INTERVIEWS_SHEET,
    "followup": FOLLOW_UPS_SHEET,
    "contact": CONTACTS_SHEET,
    "assessment": ASSESSMENTS_SHEET,
    "article": ARTICLES_SHEET,
    "event": EVENTS_SHEET,
    "cadence": CADENCES_SHEET,
    "programme_plan": PLANS_SHEET,
    "attachment": ATTACHMENTS_SHEET,
}

OTHER_SCORES_HEADER = "その他の回答"  # items of an older catalog that the current one lacks


def export_xlsx(workspace: Workspace, path: Path) -> dict[str, int]:
    """Write the workbook to ``path``, all or nothing; returns the rows written per sheet.

    Raises ``StoreError`` (a message for the person) when the file cannot be written.
    """
    tables = build_tables(workspace)
    wb = Workbook()
    wb.properties.title = "DX Desk データ"
    wb.properties.creator = "DX Desk"
    for index, table in enumerate(tables):
        sheet = wb.active if index == 0 else wb.create_sheet()
        write_sheet(sheet, table)
    save_atomically(wb, Path(path))
    return {table.name: len(table.rows) for table in tables}


def build_tables(workspace: Workspace) -> list[Table]:
    """The sheets' contents, read through the facades."""
    names = municipality_names(workspace)
    engagements = workspace.engagements.list_records()
    by_id = {e["id"]: e for e in engagements}
    interviews = workspace.interviews.list_records()
    follow_ups = workspace.follow_ups.list_records()
    events = workspace.events.list_records()
    event_titles = {e["id"]: str(e["title"]) for e in events}
    articles = workspace.articles.list_records()
    parents = {
        "visit": {e["id"]: str(e["title"] or "") for e in engagements},
        "interview": {n["id"]: str(n["interviewee"]) for n in interviews},
        "followup": {f["id"]: str(f["description"]) for f in follow_ups},
        "article": {a["id"]: str(a["title"] or "") for a in articles},
        "event": event_titles,
    }
    plans = workspace.programme_plans.list_records()
    counting_plans = {
        plan["id"]
        for fiscal_year in {p["fiscal_year"] for p in plans}
        if (plan := workspace.programme_plans.for_year(fiscal_year)) is not None
    }
    return [
        _engagements(engagements, names),
        _interviews(interviews, engagements, names),
        _follow_ups(follow_ups, by_id, event_titles, names),
        _contacts(workspace.contacts.list_records(), names),
        _assessments(workspace.assessments.list_records(), names),
        _articles(articles, names),
        events_table(events, names),
        cadences_table(workspace.cadences.list_records(), workspace.cadences.current(), names),
        plans_table(plans, counting_plans),
        _attachments(workspace.attachments.list_records(), parents, names),
    ]


def _level(level: int | None) -> str:
    if level is None:
        return ""
    try:
        return format_level(level)
    except DomainError:
        return str(level)


def _from_engagement(engagements: Mapping[str, Record], header: str, name: str) -> Column:
    def get(r: Record) -> Value:
        value = engagements.get(r["engagement"] or "", {}).get(name)
        return as_date(value) if name == "date" else value

    return header, get


def _engagements(records: Sequence[Record], names: Names) -> Table:
    lists = ("municipal_attendees", "advisor_attendees", "themes")
    columns: list[Column] = [
        day_column("visit", "date"),
        *place_columns(names),
        choice_column("visit", "type", ENGAGEMENT_TYPES),
        choice_column("visit", "mode", MODES),
        text_column("visit", "title"),
        status_column("visit"),
        *time_columns("visit"),
        text_column("visit", "place"),
        choice_column("visit", "scheme", national_schemes()),
        *((label("visit", f), lambda r, f=f: joined(r[f])) for f in lists),
        text_column("visit", "summary"),
        text_column("visit", "notes"),
        (ID_HEADER, lambda r: r["id"]),
    ]
    return make_table(ENGAGEMENTS_SHEET, columns, records)


def _interviews(records: Sequence[Record], engagements: Sequence[Record], names: Names) -> Table:
    by_id = {e["id"]: e for e in engagements}
    columns: list[Column] = [
        _from_engagement(by_id, "相談日", "date"),
        *place_columns(names),
        _from_engagement(by_id, "相談件名", "title"),
        text_column("interview", "interviewee"),
        text_column("interview", "role"),
        text_column("interview", "notes"),
        ("相談記録ID", lambda r: r["engagement"]),
        (ID_HEADER, lambda r: r["id"]),
    ]
    # Grouped under their engagements, in the engagement sheet's order.
    position = {e["id"]: i for i, e in enumerate(engagements)}
    ordered = sorted(records, key=lambda n: position.get(n["engagement"], len(position)))
    return make_table(INTERVIEWS_SHEET, columns, ordered)


def _follow_ups(
    records: Sequence[Record],
    engagements: Mapping[str, Record],
    events: Mapping[str, str],
    names: Names,
) -> Table:
    columns: list[Column] = [
        *place_columns(names),
        text_column("followup", "description"),
        text_column("followup", "owner"),
        day_column("followup", "due"),
        choice_column("followup", "status", FOLLOW_UP_STATUSES),
        _from_engagement(engagements, "相談日", "date"),
        _from_engagement(engagements, "相談件名", "title"),
        (label("followup", "event"), lambda r: events.get(r["event"] or "", "")),
        ("相談記録ID", lambda r: r["engagement"] or ""),
        ("合同の場ID", lambda r: r["event"] or ""),
        (ID_HEADER, lambda r: r["id"]),
    ]
    return make_table(FOLLOW_UPS_SHEET, columns, records)


def _contacts(records: Sequence[Record], names: Names) -> Table:
    fields = ("name", "kana", "department", "title", "email", "phone", "notes")
    columns: list[Column] = [
        *place_columns(names),
        *(text_column("contact", f) for f in fields),
        (ID_HEADER, lambda r: r["id"]),
    ]
    # By municipality, then by reading (よみ), as a paper address book is kept.
    ordered = sorted(records, key=lambda r: (r["municipality"], r["kana"] or r["name"]))
    return make_table(CONTACTS_SHEET, columns, ordered)


def _articles(records: Sequence[Record], names: Names) -> Table:
    columns: list[Column] = [
        text_column("article", "title"),
        choice_column("article", "category", ARTICLE_CATEGORIES),
        (
            label("article", "fiscal_year"),
            lambda r: format_fiscal_year(r["fiscal_year"]) if r["fiscal_year"] else "",
        ),
        (CODE_HEADER, lambda r: r["municipality"] or ""),
        (NAME_HEADER, lambda r: names(r["municipality"]) if r["municipality"] else ""),
        (label("article", "people"), lambda r: people_text(r["people"])),
        text_column("article", "person"),
        (label("article", "themes"), lambda r: joined(r["themes"])),
        (label("article", "tags"), lambda r: joined(r["tags"])),
        text_column("article", "body"),
        ("元の相談記録ID", lambda r: joined(r["engagements"])),
        (ID_HEADER, lambda r: r["id"]),
    ]
    return make_table(ARTICLES_SHEET, columns, records)


def _assessments(records: Sequence[Record], names: Names) -> Table:
    items = load_catalog().items
    known = {item.code for item in items}

    def others(r: Record) -> str:
        return joined(f"{c}={v}" for c, v in r["scores"].items() if c not in known)

    columns: list[Column] = [
        (label("assessment", "fiscal_year"), lambda r: format_fiscal_year(r["fiscal_year"])),
        *place_columns(names),
        choice_column("assessment", "method", ASSESSMENT_METHODS),
        day_column("assessment", "assessed_on"),
        text_column("assessment", "assessor"),
        text_column("assessment", "catalog_version"),
        *((f"{i.code} {i.short}", lambda r, c=i.code: r["scores"].get(c)) for i in items),
        *([(OTHER_SCORES_HEADER, others)] if any(others(r) for r in records) else []),
        ("合計", lambda r: r["total"]),
        ("満点", lambda r: r["maximum"]),
        ("得点率", lambda r: float(record_ratio(r))),
        ("提案分類", lambda r: _level(r["suggested_level"])),
        ("支援分類（確定）", lambda r: _level(r["level"])),
        text_column("assessment", "level_reason"),
        (ID_HEADER, lambda r: r["id"]),
    ]
    # 年度 and the municipality name each row on every page: the 26 items don't fit on one.
    return make_table(ASSESSMENTS_SHEET, columns, records, {"得点率": RATIO_FORMAT}, 3)


def _attachments(
    records: Sequence[Record], parents: Mapping[str, Mapping[str, str]], names: Names
) -> Table:
    def added(r: Record) -> datetime:
        # Local time, as Excel has no time zones; to the minute, as the window shows it.
        when = datetime.fromisoformat(str(r["created_at"])).astimezone()
        return when.replace(tzinfo=None, second=0, microsecond=0)

    columns: list[Column] = [
        text_column("attachment", "name"),
        ("サイズ（バイト）", lambda r: r["size"]),
        text_column("attachment", "media_type"),
        choice_column("attachment", "parent_kind", ATTACHMENT_PARENTS),
        (
            "添付先の件名",
            lambda r: parents.get(r["parent_kind"], {}).get(r["parent"], ""),
        ),
        (CODE_HEADER, lambda r: r["municipality"] or ""),
        (NAME_HEADER, lambda r: names(r["municipality"]) if r["municipality"] else PREFECTURE_WIDE),
        ("追加した人", lambda r: r["updated_by"]),
        ("追加日時", added),
        text_column("attachment", "sha256"),
        ("添付先ID", lambda r: r["parent"]),
        (ID_HEADER, lambda r: r["id"]),
    ]
    ordered = sorted(records, key=lambda r: (str(r["created_at"]), str(r["name"])))
    return make_table(ATTACHMENTS_SHEET, columns, ordered, {"サイズ（バイト）": "#,##0"})

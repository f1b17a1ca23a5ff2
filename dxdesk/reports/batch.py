"""Every municipality's assessment report for a fiscal year into one folder, with progress and
cancel (the CLI prints the progress; the app shows it in a dialog with 中止)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dxdesk.domain.fiscal_year import format_fiscal_year
from dxdesk.domain.progress import CancelToken, Progress, no_progress
from dxdesk.reports.assessment import write_assessment_report
from dxdesk.reports.assessment_data import chosen_assessments
from dxdesk.reports.document import ReportError
from dxdesk.services.workspace import Workspace


@dataclass(frozen=True)
class BatchResult:
    written: list[Path]
    skipped: list[str]  # names of municipalities with no assessment that year


def report_file_name(code: str, name: str, fiscal_year: int) -> str:
    return f"アセスメント報告_{fiscal_year}_{code}_{name}.pdf"


def write_all_assessment_reports(
    ws: Workspace,
    fiscal_year: int,
    directory: Path,
    *,
    confidential: bool = False,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> BatchResult:
    """One PDF per municipality assessed that year; a cancel stops before the next one (the
    reports already written stay, each whole)."""
    if not directory.is_dir():
        raise ReportError(f"出力先のフォルダ {directory} がありません")
    assessed = {
        code
        for code, year in chosen_assessments(ws.assessments.list_records())
        if year == fiscal_year
    }
    municipalities = ws.municipalities.overview(assigned_only=True)
    if not assessed:
        raise ReportError(f"{format_fiscal_year(fiscal_year)} のアセスメントが一つもありません")
    made_at = datetime.now().astimezone()
    written: list[Path] = []
    skipped: list[str] = []
    progress(0, len(municipalities))
    for done, municipality in enumerate(municipalities, start=1):
        if cancel is not None:
            cancel.check()
        code, name = str(municipality["code"]), str(municipality["name"])
        if code in assessed:
            path = directory / report_file_name(code, name, fiscal_year)
            written.append(
                write_assessment_report(
                    ws, code, fiscal_year, path, confidential=confidential, made_at=made_at
                )
            )
        else:
            skipped.append(name)
        progress(done, len(municipalities))
    return BatchResult(written, skipped)

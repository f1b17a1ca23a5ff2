"""Every answering municipality's comparison report of a year, with the overview PDF and
workbook, into one folder: all of them or none (written into a folder beside it first, then
moved in), with progress and cancel."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dxdesk.domain.progress import CancelToken, Progress, no_progress
from dxdesk.reports.document import ReportError
from dxdesk.reports.survey_comparison import survey_file_name, write_survey_comparison
from dxdesk.reports.survey_data import survey_year
from dxdesk.reports.survey_overview import (
    overview_file_name,
    require_responses,
    write_survey_overview,
)
from dxdesk.reports.survey_workbook import write_survey_workbook
from dxdesk.services.workspace import Workspace

# The overview PDF and workbook hold every municipality's answers and the respondents' names:
# kept apart from the hand-outs, so they are not attached to a municipality's mail by mistake.
INTERNAL_FOLDER = "事務局用"


@dataclass(frozen=True)
class SurveyBatchResult:
    written: list[Path]  # the comparison reports, then the overview PDF and workbook
    not_answered: list[str]  # names of the municipalities with no response that year


def write_all_survey_reports(
    ws: Workspace,
    fiscal_year: int,
    directory: Path,
    *,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
    confidential: bool = False,
) -> SurveyBatchResult:
    """Into ``directory`` (made if missing; its parent must exist). Files of the same names
    there are replaced; on any failure or a cancel nothing in it changes. The overview PDF and
    workbook go into its 事務局用/ folder; ``confidential`` stamps the hand-outs 取扱注意 too."""
    directory = Path(directory).expanduser().resolve()
    if not directory.parent.is_dir():
        raise ReportError(f"出力先 {directory.parent} のフォルダがありません")
    if directory.exists() and not directory.is_dir():
        raise ReportError(f"出力先 {directory} はフォルダではありません")
    year = survey_year(ws, fiscal_year)
    require_responses(year)
    answered = {r.code for r in year.responses}
    made_at = datetime.now().astimezone()
    total = len(year.responses) + 2
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=directory.parent))
    except OSError as exc:
        raise ReportError(f"{directory.parent} に書き込めません: {exc.strerror}") from None
    try:
        names: list[str] = []
        progress(0, total)
        for done, read in enumerate(year.responses, start=1):
            if cancel is not None:
                cancel.check()
            name = survey_file_name(read.code, read.name, fiscal_year)
            write_survey_comparison(
                ws,
                read.code,
                fiscal_year,
                staging / name,
                confidential=confidential,
                made_at=made_at,
                year=year,
            )
            names.append(name)
            progress(done, total)
        (staging / INTERNAL_FOLDER).mkdir()
        overview = f"{INTERNAL_FOLDER}/{overview_file_name(fiscal_year, '.pdf')}"
        write_survey_overview(ws, fiscal_year, staging / overview, made_at=made_at, year=year)
        names.append(overview)
        progress(total - 1, total)
        workbook = f"{INTERNAL_FOLDER}/{overview_file_name(fiscal_year, '.xlsx')}"
        write_survey_workbook(ws, fiscal_year, staging / workbook, year=year)
        names.append(workbook)
        if cancel is not None:
            cancel.check()
        _move_in(staging, directory, names)
        progress(total, total)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return SurveyBatchResult(
        [directory / name for name in names],
        [name for code, name, _region in year.roster if code not in answered],
    )


def _move_in(staging: Path, directory: Path, names: list[str]) -> None:
    try:
        if not directory.exists():
            staging.rename(directory)  # the whole folder at once
            return
        (directory / INTERNAL_FOLDER).mkdir(exist_ok=True)
        for name in names:
            (staging / name).replace(directory / name)
    except OSError as exc:
        raise ReportError(f"{directory} に書き込めません: {exc.strerror}") from None

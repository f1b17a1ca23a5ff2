"""The report commands of ``dxdesk``: printable PDFs of a visit, an assessment (one or every
municipality's), the KPI, and the survey comparison (one municipality's, or every one's with
the overview)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dxdesk.command_line import bilingual
from dxdesk.domain.fiscal_year import parse_fiscal_year
from dxdesk.domain.roster import find_municipality, load_roster
from dxdesk.reports.assessment import write_assessment_report
from dxdesk.reports.batch import write_all_assessment_reports
from dxdesk.reports.document import ReportError
from dxdesk.reports.kpi import write_kpi_report
from dxdesk.reports.survey_batch import write_all_survey_reports
from dxdesk.reports.survey_comparison import write_survey_comparison
from dxdesk.reports.visit import write_visit_report
from dxdesk.services.workspace import Workspace


def add_commands(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help=bilingual("印刷用の PDF を作る", "make a PDF to print"),
        examples=(
            "dxdesk report visit ID -o 相談記録.pdf",
            "dxdesk report assessment みなべ --fiscal-year R7 -o みなべ町.pdf",
            "dxdesk report kpi -o KPI.pdf",
            "dxdesk report survey 海南 --fiscal-year R6 -o 海南市_調査.pdf",
        ),
    )
    reports = report.add_subparsers(
        dest="report", metavar="REPORT", required=True, title=bilingual("帳票", "reports")
    )
    visit = reports.add_parser(
        "visit",
        help=bilingual(
            "相談記録（ヒアリング・フォローアップつき）",
            "an engagement record, with its interviews and follow-ups",
        ),
        examples=(
            "dxdesk report visit ID -o 相談記録.pdf",
            "dxdesk report visit ID -o 相談記録_内部用.pdf --internal",
        ),
    )
    visit.add_argument("id", help=bilingual("相談記録の id", "the engagement's id"))
    _add_common(visit, confidential=False)
    visit.add_argument(
        "--internal",
        action="store_true",
        help=bilingual(
            "内部用にする（メモ・ヒアリング・同期の状態を含み、各ページに「取扱注意」）。"
            "付けなければ市町村へ渡す配布用",
            "the internal edition (with notes, interviews and the sync state, every page "
            "marked confidential); without it, the edition to hand to the municipality",
        ),
    )

    assessment = reports.add_parser(
        "assessment",
        help=bilingual(
            "アセスメント報告（県平均・地域平均との比較、前年度からの変化）",
            "an assessment report (against the prefecture's and the region's averages, "
            "and the change since the year before)",
        ),
        examples=(
            "dxdesk report assessment 海南 --fiscal-year R7 -o 海南市.pdf",
            "dxdesk report assessment --all --fiscal-year 2025 -o 報告/",
        ),
    )
    assessment.add_argument(
        "code",
        nargs="?",
        metavar="NAME|CODE",
        help=bilingual(
            "市町村の名前かコード（--all なら省略）",
            "the municipality's name or code (not with --all)",
        ),
    )
    assessment.add_argument(
        "--all",
        action="store_true",
        help=bilingual(
            "全市町村分をフォルダへ（フォルダは作っておく）",
            "every municipality's, into a folder (which must exist)",
        ),
    )
    assessment.add_argument(
        "--fiscal-year",
        required=True,
        metavar="N",
        help=bilingual("年度（2025、R7、令和7年度）", "fiscal year (2025, R7 or its era form)"),
    )
    _add_common(assessment, target="FILE|DIR")

    kpi = reports.add_parser(
        "kpi",
        help=bilingual(
            "支援分類の団体数と目標、項目ごとの得点率",
            "municipalities per support level against the targets, and each item's score ratio",
        ),
        examples=("dxdesk report kpi -o KPI.pdf", "dxdesk report kpi --fiscal-year R7 -o KPI.pdf"),
    )
    kpi.add_argument(
        "--fiscal-year",
        metavar="N",
        help=bilingual(
            "計画と実績を載せる年度（2025、R7、令和7年度）。省略すると今年度",
            "the fiscal year of the plan-against-held section (2025, R7 or its era form); "
            "the current one if left out",
        ),
    )
    _add_common(kpi)
    _add_survey(reports)


def _add_survey(reports: Any) -> None:
    survey = reports.add_parser(
        "survey",
        help=bilingual(
            "調査結果の比較レポート（全設問、県全体・振興局管内の回答と比較）。--all で全体集計も",
            "the survey comparison report (every question beside the prefecture's and the "
            "region's answers); with --all, the overview too",
        ),
        examples=(
            "dxdesk report survey 海南 --fiscal-year R6 -o 海南市_調査.pdf",
            "dxdesk report survey --all --fiscal-year 2024 -o 調査報告/",
        ),
    )
    survey.add_argument(
        "code",
        nargs="?",
        metavar="NAME|CODE",
        help=bilingual(
            "市町村の名前かコード（--all なら省略）",
            "the municipality's name or code (not with --all)",
        ),
    )
    survey.add_argument(
        "--all",
        action="store_true",
        help=bilingual(
            "回答した全市町村の PDF と全体集計（PDF・Excel）をフォルダへ（なければ作る）",
            "every answering municipality's PDF and the overview (PDF and Excel) into a "
            "folder (made if missing)",
        ),
    )
    survey.add_argument(
        "--fiscal-year",
        required=True,
        metavar="N",
        help=bilingual("年度（2024、R6、令和6年度）", "fiscal year (2024, R6 or its era form)"),
    )
    _add_common(survey, target="FILE|DIR")


def _add_common(
    parser: argparse.ArgumentParser, *, target: str = "FILE", confidential: bool = True
) -> None:
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar=target,
        help=bilingual("書き出す PDF", "the PDF to write"),
    )
    if confidential:  # a visit has its 内部用 edition instead, always stamped
        parser.add_argument(
            "--confidential",
            action="store_true",
            help=bilingual("各ページに「取扱注意」を付ける", "mark every page as confidential"),
        )


def _report_visit(ws: Workspace, args: argparse.Namespace) -> Path:
    return write_visit_report(ws, args.id, Path(args.output), internal=args.internal)


def _report_assessment(ws: Workspace, args: argparse.Namespace) -> Path:
    year = parse_fiscal_year(args.fiscal_year)
    output = Path(args.output)
    if args.all:
        if args.code:
            raise ReportError("--all のときは市町村を指定しないでください")

        def report(done: int, total: int) -> None:
            sys.stderr.write(f"\r{done} / {total} 市町村")
            sys.stderr.flush()

        result = write_all_assessment_reports(
            ws, year, output, confidential=args.confidential, progress=report
        )
        sys.stderr.write("\n")
        if result.skipped:
            sys.stdout.write(f"アセスメントのない市町村: {'、'.join(result.skipped)}\n")
        sys.stdout.write(f"{len(result.written)} 件の PDF を作りました: {output}\n")
        return output
    if not args.code:
        raise ReportError("市町村（コードか名前）を指定するか、--all を付けてください")
    code = _municipality_code(args.code)
    path = write_assessment_report(ws, code, year, output, confidential=args.confidential)
    sys.stdout.write(f"PDF を作りました: {path}\n")
    return path


def _municipality_code(text: str) -> str:
    return find_municipality(load_roster(), text).code


def _report_survey(ws: Workspace, args: argparse.Namespace) -> Path:
    year = parse_fiscal_year(args.fiscal_year)
    output = Path(args.output)
    if args.all:
        if args.code:
            raise ReportError("--all のときは市町村を指定しないでください")

        tty = sys.stderr.isatty()  # a log gets a line per step, not carriage returns

        def report(done: int, total: int) -> None:
            sys.stderr.write(f"\r{done} / {total} 件" if tty else f"{done} / {total} 件\n")
            sys.stderr.flush()

        result = write_all_survey_reports(
            ws, year, output, progress=report, confidential=args.confidential
        )
        if tty:
            sys.stderr.write("\n")
        if result.not_answered:
            names = "、".join(result.not_answered)
            sys.stderr.write(f"未回答の市町村（{len(result.not_answered)}）: {names}\n")
        sys.stdout.write(f"{len(result.written)} 件のファイルを作りました: {output}\n")
        return output
    if not args.code:
        raise ReportError("市町村（コードか名前）を指定するか、--all を付けてください")
    code = _municipality_code(args.code)
    path = write_survey_comparison(ws, code, year, output, confidential=args.confidential)
    sys.stdout.write(f"PDF を作りました: {path}\n")
    return path


def _report_kpi(ws: Workspace, args: argparse.Namespace) -> Path:
    year = parse_fiscal_year(args.fiscal_year) if args.fiscal_year else None
    path = write_kpi_report(ws, Path(args.output), confidential=args.confidential, fiscal_year=year)
    sys.stdout.write(f"PDF を作りました: {path}\n")
    return path


def _report_visit_printed(ws: Workspace, args: argparse.Namespace) -> Path:
    path = _report_visit(ws, args)
    sys.stdout.write(f"PDF を作りました: {path}\n")
    return path


_REPORTS: dict[str, Callable[[Workspace, argparse.Namespace], Path]] = {
    "visit": _report_visit_printed,
    "assessment": _report_assessment,
    "kpi": _report_kpi,
    "survey": _report_survey,
}


def _cmd_report(ws: Workspace, args: argparse.Namespace) -> None:
    _REPORTS[args.report](ws, args)


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "report": _cmd_report,
}

"""The report commands of ``dxdesk``: printable PDFs of a visit, an assessment (one or every
municipality's) and the KPI."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dxdesk.domain.fiscal_year import parse_fiscal_year
from dxdesk.domain.roster import load_roster, match_municipality
from dxdesk.models.workspace import Workspace
from dxdesk.reports.assessment import write_assessment_report
from dxdesk.reports.batch import write_all_assessment_reports
from dxdesk.reports.document import ReportError
from dxdesk.reports.kpi import write_kpi_report
from dxdesk.reports.visit import write_visit_report


def add_commands(commands: Any) -> None:
    report = commands.add_parser("report", help="印刷用の PDF を作る")
    # The same parser class as the caller's, so a mistake is one line here too.
    reports = report.add_subparsers(
        dest="report", metavar="REPORT", required=True, parser_class=type(report)
    )
    visit = reports.add_parser("visit", help="相談記録（ヒアリング・フォローアップつき）")
    visit.add_argument("id", help="相談記録の id")
    _add_common(visit, confidential=False)
    visit.add_argument(
        "--internal",
        action="store_true",
        help="内部用にする（メモ・ヒアリング・同期の状態を含み、各ページに「取扱注意」）。"
        "付けなければ市町村へ渡す配布用",
    )

    assessment = reports.add_parser(
        "assessment", help="アセスメント報告（県平均・地域平均との比較、前年度からの変化）"
    )
    assessment.add_argument("code", nargs="?", help="市町村コードか名前（--all なら省略）")
    assessment.add_argument("--all", action="store_true", help="全市町村分をフォルダへ")
    assessment.add_argument("--fiscal-year", required=True, metavar="N", help="年度")
    _add_common(assessment, target="FILE|DIR")

    kpi = reports.add_parser("kpi", help="支援分類の団体数と目標、項目ごとの得点率")
    _add_common(kpi)


def _add_common(
    parser: argparse.ArgumentParser, *, target: str = "FILE", confidential: bool = True
) -> None:
    parser.add_argument("-o", "--output", required=True, metavar=target, help="書き出す PDF")
    if confidential:  # a visit has its 内部用 edition instead, always stamped
        parser.add_argument(
            "--confidential", action="store_true", help="各ページに「取扱注意」を付ける"
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
    found = match_municipality(load_roster(), text)
    if found is None:
        raise ReportError(f"市町村「{text}」が分かりません")
    return found.code


def _report_kpi(ws: Workspace, args: argparse.Namespace) -> Path:
    path = write_kpi_report(ws, Path(args.output), confidential=args.confidential)
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
}


def _cmd_report(ws: Workspace, args: argparse.Namespace) -> None:
    _REPORTS[args.report](ws, args)


COMMANDS: dict[str, Callable[[Workspace, argparse.Namespace], None]] = {
    "report": _cmd_report,
}

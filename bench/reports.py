"""Report figures: one visit summary, and all 30 assessment reports of a year, each against
reportlab drawing the same text on a bare canvas (same run, same font, same lines).

- **Store**: the demo data (``seed-demo``: 30 municipalities, visits with interview notes and
  follow-ups, assessments for three years) in a temporary folder.
- **Visit summary** (timed, median of ``repeat``): ``write_visit_report`` for the demo visit
  with the longest notes, in its 内部用 edition (the one that prints the notes). **All
  assessment reports**: ``write_all_assessment_reports`` for the latest year into an empty
  folder (median of ``repeat``).
- **Baseline**: the text poppler's ``pdftotext`` gets back from those very PDFs, drawn line by
  line with ``Canvas.drawString`` in IPAexGothic 10 pt (new page every 60 lines) to a file, one
  PDF per report: what reportlab costs for the same characters without layout, tables, charts
  or line breaking.

Targets (from the issue): a visit summary under 300 ms; all 30 assessment reports under 10 s.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from bench.report import Context, Row, run_alone
from bench.timing import median_call
from dxdesk.demo_data import seed_demo
from dxdesk.reports.batch import write_all_assessment_reports
from dxdesk.reports.document import register_fonts
from dxdesk.reports.visit import write_visit_report
from dxdesk.services.workspace import Workspace, open_workspace

VISIT_TARGET_S = 0.3
BATCH_TARGET_S = 10.0
LINES_PER_PAGE = 60


def _text_lines(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return out.stdout.decode("utf-8").splitlines()


def _bare_canvas(lines: list[str], path: Path) -> None:
    font = register_fonts()
    canvas = Canvas(str(path), pagesize=A4)
    for index, line in enumerate(lines):
        if index and index % LINES_PER_PAGE == 0:
            canvas.showPage()
        canvas.setFont(font, 10)
        canvas.drawString(40, A4[1] - 40 - (index % LINES_PER_PAGE) * 12, line)
    canvas.save()


def _longest_visit(ws: Workspace) -> str:
    visits = ws.engagements.list_records()
    return str(max(visits, key=lambda v: len(str(v.get("notes") or "")))["id"])


def reports(ctx: Context) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-reports-") as tmp:
        root = Path(tmp)
        ws = open_workspace(root / "data")
        try:
            seed_demo(ws)
            visit = _longest_visit(ws)
            year = max(int(a["fiscal_year"]) for a in ws.assessments.list_records())
            visit_pdf = root / "visit.pdf"
            write_visit_report(ws, visit, visit_pdf, internal=True)  # warm: fonts, imports
            visit_s, visit_runs = median_call(
                lambda: write_visit_report(ws, visit, visit_pdf, internal=True), ctx.repeat
            )
            visit_lines = _text_lines(visit_pdf)
            base_visit_s, _ = median_call(
                lambda: _bare_canvas(visit_lines, root / "visit-bare.pdf"), ctx.repeat
            )
            batches: list[Path] = []

            def batch() -> None:
                folder = root / f"batch{len(batches)}"
                folder.mkdir()
                batches.append(folder)
                write_all_assessment_reports(ws, year, folder)

            batch_s, batch_runs = median_call(batch, ctx.repeat)
            texts = [_text_lines(p) for p in sorted(batches[-1].iterdir())]

            def bare_batch() -> None:
                for index, lines in enumerate(texts):
                    _bare_canvas(lines, root / f"bare{index}.pdf")

            base_batch_s, _ = median_call(bare_batch, ctx.repeat)
        finally:
            ws.close()
    runs = ", ".join(f"{t * 1000:.0f}" for t in visit_runs)
    batch_text = ", ".join(f"{t:.2f}" for t in batch_runs)
    return [
        Row(
            "report: visit summary",
            visit_s,
            target_s=VISIT_TARGET_S,
            baseline_s=base_visit_s,
            detail=f"the demo visit with the longest notes, {len(visit_lines)} text lines; "
            f"median of {len(visit_runs)} runs ({runs} ms); baseline: the same lines on a bare "
            "canvas",
        ),
        Row(
            f"report: all {len(texts)} assessment reports",
            batch_s,
            target_s=BATCH_TARGET_S,
            baseline_s=base_batch_s,
            detail=f"fiscal year {year}, one PDF each with chart and tables; median of "
            f"{len(batch_runs)} runs ({batch_text} s); baseline: each report's text lines on a "
            "bare canvas",
        ),
    ]


if __name__ == "__main__":
    run_alone(reports, prog="python -m bench.reports")

"""Survey report figures: every answering municipality's comparison report of a year (the
"30 comparison reports" of issue 20), against reportlab drawing the same text on a bare canvas.

- **Store**: a fresh folder (the 30 municipalities of the roster) with the shipped R6 survey
  definition (resources/survey/definition-2024-wakayama.json, 66 questions over 9 pages) loaded
  and one response per municipality: deterministic random answers of every type (a score on
  the catalog item's scale, one or several choices, numbers, yes/no, dates, free text of one to
  a few sentences, a few questions left blank).
- **All survey reports** (timed, median of ``repeat``): ``write_all_survey_reports`` for 2024
  into an empty folder — the 30 comparison PDFs and the overview's PDF and workbook, as the
  app's 「調査の全体集計…」 and ``dxdesk report survey --all`` make them. **Overview alone**
  (timed the same way, no target): the overview PDF and workbook, to show their share.
- **Baseline**: the text poppler's ``pdftotext`` gets back from the batch's PDFs, drawn line by
  line on a bare reportlab canvas as bench/reports.py does (IPAexGothic 10 pt, 60 lines a
  page, one PDF per report): what reportlab costs for the same characters without layout.

Target (from the issue): the 30 comparison reports under 10 s.
"""

from __future__ import annotations

import random
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.report import Context, Row, run_alone
from bench.reports import _bare_canvas, _text_lines
from bench.timing import median_call
from dxdesk.domain.survey_definition import SurveyDefinition
from dxdesk.reports.survey_batch import write_all_survey_reports
from dxdesk.reports.survey_data import score_scale, survey_year
from dxdesk.reports.survey_overview import write_survey_overview
from dxdesk.reports.survey_workbook import write_survey_workbook
from dxdesk.services.survey_definitions import shipped_definition
from dxdesk.services.workspace import Workspace, open_workspace

FISCAL_YEAR = 2024
TARGET_S = 10.0
SENTENCES = (
    "窓口のオンライン申請を順次広げています。",
    "担当職員が少なく、研修の機会を増やしてほしい。",
    "県と市町村で共同調達できる仕組みがあると助かります。",
    "住民向けのスマホ教室を公民館で月に一度開いています。",
    "基幹業務システムの標準化に向けて、ベンダーと移行計画を調整中です。",
    "特になし。",
)


def _answer(question: Any, definition: SurveyDefinition, rnd: random.Random) -> Any:
    if rnd.random() < 0.05:
        return None  # left blank
    kind = question.type
    if kind == "scored":
        return int(rnd.choice(score_scale(definition, question)[0]).value)
    if kind == "single":
        return rnd.choice(definition.choices_of(question)).value
    if kind == "multiple":
        values = [c.value for c in definition.choices_of(question)]
        return rnd.sample(values, rnd.randint(1, min(3, len(values))))
    if kind == "number":
        return rnd.randint(0, 60) if question.unit != "%" else round(rnd.uniform(0, 100), 1)
    if kind == "yes_no":
        return rnd.random() < 0.5
    if kind == "date":
        return (date(2023, 4, 1) + timedelta(days=rnd.randint(0, 400))).isoformat()
    return "".join(rnd.choice(SENTENCES) for _ in range(rnd.randint(1, 4)))


def _page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True)
    return next(
        int(line.split()[-1]) for line in out.stdout.splitlines() if line.startswith("Pages:")
    )


def seed_survey(ws: Workspace, seed: int = 20) -> int:
    """The shipped R6 definition loaded and a response from every municipality; their number."""
    shipped = shipped_definition(FISCAL_YEAR)
    assert shipped is not None, "the R6 definition is no longer shipped"
    definition = shipped.definition
    stored = ws.survey_definitions.add(
        {
            "fiscal_year": FISCAL_YEAR,
            "prefecture": definition.prefecture,
            "title": definition.title,
            "definition": definition.as_json(),
            "source_name": "definition-2024-wakayama.xlsx",
        }
    )
    rnd = random.Random(seed)
    municipalities = ws.municipalities.overview(assigned_only=False)
    for municipality in municipalities:
        answers = {q.code: _answer(q, definition, rnd) for q in definition.questions}
        ws.survey_responses.add(
            {
                "municipality": municipality["code"],
                "fiscal_year": FISCAL_YEAR,
                "definition": stored["id"],
                "answers": {code: v for code, v in answers.items() if v is not None},
                "respondent": "企画課 DX推進係",
                "answered_on": "2024-06-14",
                "imported_on": "2024-06-20",
                "source_name": "R6調査_回答.xlsx",
            }
        )
    return len(municipalities)


def survey_reports(ctx: Context) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="dxdesk-bench-survey-reports-") as tmp:
        root = Path(tmp)
        ws = open_workspace(root / "data")
        try:
            count = seed_survey(ws)
            batches: list[Path] = []

            def batch() -> None:
                folder = root / f"batch{len(batches)}"
                batches.append(folder)
                write_all_survey_reports(ws, FISCAL_YEAR, folder)

            batch()  # warm: fonts, imports, the catalog
            batch_s, batch_runs = median_call(batch, ctx.repeat)
            pdfs = sorted(batches[-1].rglob("*.pdf"))
            pages = sum(_page_count(pdf) for pdf in pdfs)
            texts = [_text_lines(pdf) for pdf in pdfs]

            def overview() -> None:
                year = survey_year(ws, FISCAL_YEAR)
                write_survey_overview(ws, FISCAL_YEAR, root / "overview.pdf", year=year)
                write_survey_workbook(ws, FISCAL_YEAR, root / "overview.xlsx", year=year)

            overview_s, overview_runs = median_call(overview, ctx.repeat)

            def bare_batch() -> None:
                for index, lines in enumerate(texts):
                    _bare_canvas(lines, root / f"bare{index}.pdf")

            base_s, _ = median_call(bare_batch, ctx.repeat)
        finally:
            ws.close()
    lines = sum(len(t) for t in texts)
    return [
        Row(
            f"report: all {count} survey comparison reports",
            batch_s,
            target_s=TARGET_S,
            baseline_s=base_s,
            detail=f"fiscal year {FISCAL_YEAR}, the shipped 66-question definition, {count} "
            f"responses: {len(pdfs) - 1} comparison PDFs + the overview PDF and workbook "
            f"({pages} pages); median of {len(batch_runs)} runs "
            f"({', '.join(f'{t:.2f}' for t in batch_runs)} s); baseline: the PDFs' {lines:,} "
            "text lines on a bare canvas",
        ),
        Row(
            "report: survey overview (in the above)",
            overview_s,
            detail=f"the overview PDF (landscape) and workbook alone; median of "
            f"{len(overview_runs)} runs ({', '.join(f'{t:.2f}' for t in overview_runs)} s)",
        ),
    ]


if __name__ == "__main__":
    run_alone(survey_reports, prog="python -m bench.survey_reports")

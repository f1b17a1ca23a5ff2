"""The demo's 資料: a municipality's draft plan as a PDF and a photo of the whiteboard, attached
to a few recent visits, so a person looking around sees files where they belong (and a search
for a word inside the plan finds its visit).

Made here, not in demo_data: the PDF is set in the reports' bundled font (Japanese must print
as Japanese), and demo_data sits below the reports.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from dxdesk.demo_data import seed_demo
from dxdesk.reports.glyphs import draw_string, register_fonts
from dxdesk.resources import resource_path
from dxdesk.services.attachment_text import extract_missing
from dxdesk.services.workspace import Workspace

# Municipalities whose latest visit gets the files: a city, a town, a village.
DEMO_FILE_MUNICIPALITIES: Final = ("302015", "303810", "304212")
PLAN_LINES: Final = (
    "1. 基本方針",
    "   住民の利便性向上と業務の効率化を両輪として、全庁でDXに取り組む。",
    "2. 重点取組",
    "   ・書かない窓口の導入（令和7年度）",
    "   ・業務フローの見直しとRPAによる定型業務の自動化",
    "   ・庁内ネットワークの再構築と情報セキュリティの強化",
    "3. 推進体制",
    "   CDO（最高デジタル責任者）のもと、各課にDX推進員を置く。",
    "4. 人材育成",
    "   全職員向けeラーニングと、推進員向けの合同研修への参加。",
)


def _plan_pdf(path: Path, municipality: str) -> None:
    font = register_fonts()
    canvas = Canvas(str(path), pagesize=A4)
    width, height = A4
    draw_string(
        canvas,
        width / 2,
        height - 30 * mm,
        f"{municipality} DX推進計画（案）",
        font,
        18,
        anchor="middle",
    )
    y = height - 50 * mm
    for line in PLAN_LINES:
        draw_string(canvas, 25 * mm, y, line, font, 11)
        y -= 9 * mm
    canvas.showPage()
    canvas.save()


def _whiteboard_jpeg(path: Path) -> None:
    image = Image.new("RGB", (1200, 800), (246, 246, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 1170, 770), outline=(90, 90, 90), width=8)
    font = ImageFont.truetype(str(resource_path("fonts", "ipaexg.ttf")), 54)
    for row, text in enumerate(("窓口DX 検討メモ", "・申請書の項目を減らす", "・予約制の導入")):
        draw.text((90, 110 + row * 120), text, fill=(30, 60, 150), font=font)
    image.save(path, "JPEG", quality=80)


def attach_demo_files(ws: Workspace, codes: Sequence[str] = DEMO_FILE_MUNICIPALITIES) -> int:
    """Attach the plan and the photo to the latest visit of each of ``codes``; returns how many
    attachments were made."""
    made = 0
    with tempfile.TemporaryDirectory(prefix="dxdesk-demo-") as folder:
        for code in codes:
            visits = ws.engagements.list_records(municipality=code)
            if not visits:
                continue
            latest = max(visits, key=lambda visit: visit["date"])
            name = ws.municipalities.get(code)["name"]
            plan = Path(folder) / f"{name} DX推進計画（案）.pdf"
            photo = Path(folder) / "ホワイトボード.jpg"
            _plan_pdf(plan, name)
            _whiteboard_jpeg(photo)
            made += len(ws.attachments.attach("visit", latest["id"], [plan, photo]))
    return made


def seed_demo_with_files(ws: Workspace, *, replace: bool = False) -> dict[str, int]:
    """The demo (dxdesk.demo_data.seed_demo) with its files attached and their text read for
    search; returns how many records of each kind were made."""
    counts = seed_demo(ws, replace=replace)
    counts["attachment"] = attach_demo_files(ws)
    extract_missing(ws.store, limit=len(DEMO_FILE_MUNICIPALITIES) * 2)
    return counts

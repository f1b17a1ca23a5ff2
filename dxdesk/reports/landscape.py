"""An A4 landscape PDF with the same header and footer as every report (reports/document.py
lays out portrait pages only): for tables with a column per municipality or long lists."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Final

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from dxdesk.domain.fiscal_year import format_date_ja
from dxdesk.reports.document import (
    FONT,
    GRID,
    MARGIN,
    SYNCED,
    UNSYNCED,
    ReportError,
    _FramedCanvas,
    register_fonts,
)
from dxdesk.reports.glyphs import draw_string

LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT = landscape(A4)
LANDSCAPE_CONTENT_WIDTH: Final = LANDSCAPE_WIDTH - 2 * MARGIN


class _LandscapeCanvas(_FramedCanvas):
    """The portrait canvas's "n / N" furniture, placed on the landscape page."""

    def _draw_furniture(self, number: int, total: int) -> None:
        right, top = LANDSCAPE_WIDTH - MARGIN, LANDSCAPE_HEIGHT
        self.saveState()
        self.setFillColor(colors.HexColor("#444444"))
        draw_string(self, MARGIN, top - 13 * mm, self._header, FONT, 8.5)
        draw_string(self, MARGIN, 9 * mm, self._footer, FONT, 8.5)
        self.setFont(FONT, 8.5)
        self.drawRightString(right, 9 * mm, f"{number} / {total}")
        self.setStrokeColor(GRID)
        self.setLineWidth(0.5)
        self.line(MARGIN, top - 16 * mm, right, top - 16 * mm)
        self.line(MARGIN, 13 * mm, right, 13 * mm)
        self.restoreState()


def build_landscape_pdf(
    path: Path,
    story: Sequence[Any],
    *,
    title: str,
    subject: str,
    made_at: datetime,
    unsynced: bool | None,
) -> Path:
    """Write ``story`` on A4 landscape pages at ``path`` (whole or not at all)."""
    register_fonts()
    path = Path(path).expanduser().resolve()
    if not path.parent.is_dir():
        raise ReportError(f"出力先のフォルダ {path.parent} がありません")
    made = f"{format_date_ja(made_at.date())} {made_at:%H:%M}"
    state = "" if unsynced is None else f"　{UNSYNCED if unsynced else SYNCED}"
    furniture = (f"{title}　{subject}", f"作成 {made}{state}", False)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".pdf", dir=path.parent)
    except OSError as exc:
        raise ReportError(f"{path.parent} に書き込めません: {exc.strerror}") from None
    os.close(fd)
    try:
        doc = BaseDocTemplate(
            tmp_name,
            pagesize=(LANDSCAPE_WIDTH, LANDSCAPE_HEIGHT),
            title=title,
            subject=subject,
            author="DX Desk",
            creator="DX Desk",
            lang="ja-JP",
            initialFontName=FONT,
        )
        height = LANDSCAPE_HEIGHT - 36 * mm
        frame = Frame(MARGIN, 17 * mm, LANDSCAPE_CONTENT_WIDTH, height, 0, 0, 0, 0)
        doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        doc.build(list(story), canvasmaker=partial(_LandscapeCanvas, furniture=furniture))
        Path(tmp_name).replace(path)
    except BaseException as exc:
        Path(tmp_name).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ReportError(f"{path} を書けません: {exc.strerror}") from None
        raise
    return path

"""Asking for a fiscal year: this one, the next, or one of the three before it."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QWidget

from dxdesk.domain.fiscal_year import format_fiscal_year, parse_fiscal_year


def choose_fiscal_year(parent: QWidget, title: str, label: str, default: int) -> int | None:
    """The fiscal year picked, or None when the person cancelled."""
    years = [format_fiscal_year(y) for y in range(default + 1, default - 4, -1)]
    text, chosen = QInputDialog.getItem(
        parent, title, label, years, years.index(format_fiscal_year(default)), False
    )
    return parse_fiscal_year(text) if chosen else None

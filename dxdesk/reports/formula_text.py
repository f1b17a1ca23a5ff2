"""Text a spreadsheet would take for a formula, for every export to share one rule.

A record's title or notes may begin with ``=``, ``+``, ``-`` or ``@`` (``=1+1``, ``+81 73…``,
``-x``, ``@SUM(…)``), or with a tab, carriage return or line feed, which spreadsheet programs
skip before looking for those. The xlsx export writes such text as a string, so nothing runs
when the workbook opens, and marks its cell with Excel's quote prefix (``'``), so editing the
cell or saving the sheet as CSV keeps it text. A CSV export escapes it with ``csv_text``
(OWASP's advice on CSV injection: a leading apostrophe). The full-width forms (＝＋－＠), which a
Japanese input method may turn into the half-width ones, are treated the same.
"""

from __future__ import annotations

FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or a DDE call)."""
    return text[:1] in FORMULA_STARTS if text else False


def csv_text(text: str) -> str:
    """``text`` for a CSV cell: formula-like text behind an apostrophe, anything else as is."""
    return "'" + text if looks_like_formula(text) else text

"""How a ratio is written as a percent: one rule on screen, on paper and in the level rule.

A ratio is rounded half up (四捨五入, half away from zero for a negative change), so 46/78 =
58.97 % reads 59 % wherever it is shown, and 12.5 % reads 13 % (Python's own format rounds
half to even and would print 12 %). Excel's "0%" format rounds the same way, so the workbook
shows the exact ratio as the app does.

A float is taken at its shortest decimal form (0.585 as 0.585, not the binary value a hair
below it), a ``Fraction`` as it is.
"""

from fractions import Fraction
from math import floor
from typing import Final

NO_VALUE: Final = "—"
_MINUS: Final = "−"  # U+2212, the minus sign, as a printed table writes it


def _exact(value: Fraction | float) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(repr(float(value)))


def _round_half_up(value: Fraction) -> int:
    """To the nearest whole number, a half away from zero."""
    whole = floor(abs(value) + Fraction(1, 2))
    return -whole if value < 0 else whole


def _decimal(units: int, places: int) -> str:
    """``units`` hundredths (places=2) etc. written with ``places`` decimals, no sign."""
    if places == 0:
        return str(abs(units))
    whole, fraction = divmod(abs(units), 10**places)
    return f"{whole}.{fraction:0{places}d}"


def percent_units(ratio: Fraction | float, places: int = 0) -> int:
    """The percent of ``ratio`` rounded half up to ``places`` decimals, in units of the last
    place: 46/78 -> 59 (places 0), 0.705 -> 705 (places 1)."""
    return _round_half_up(_exact(ratio) * 100 * 10**places)


def format_percent(ratio: Fraction | float | None, places: int = 0) -> str:
    """0..1 as "59%" (or "70.5%" with one place); None as "—"."""
    if ratio is None:
        return NO_VALUE
    units = percent_units(ratio, places)
    return f"{'-' if units < 0 else ''}{_decimal(units, places)}%"


def format_point_change(change: float | None) -> str:
    """A change of ratio in percentage points, to one place: "+5.2 pt", "−3.0 pt", "±0.0 pt"."""
    if change is None:
        return NO_VALUE
    tenths = percent_units(change, 1)
    sign = "±" if tenths == 0 else "+" if tenths > 0 else _MINUS
    return f"{sign}{_decimal(tenths, 1)} pt"

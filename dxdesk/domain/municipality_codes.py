"""全国地方公共団体コード: five digits and a check digit.

The check digit uses weights 6, 5, 4, 3, 2 on the five digits, modulus 11: with r the
remainder, the digit is 11 - r, except that r = 0 gives 1 and r = 1 gives 0 (i.e.
``(11 - r) % 10``).
"""

import re

from dxdesk.domain.errors import InvalidMunicipalityCode
from dxdesk.domain.text import normalize_digits

_WEIGHTS = (6, 5, 4, 3, 2)
# ASCII only: str.isdigit would also let through digits of other scripts that NFKC keeps.
_FIVE_DIGITS = re.compile(r"[0-9]{5}")
_SIX_DIGITS = re.compile(r"[0-9]{6}")


def check_digit(first_five: str) -> int:
    digits = normalize_digits(first_five)
    if not _FIVE_DIGITS.fullmatch(digits):
        raise InvalidMunicipalityCode(
            f"市町村コードの先頭部分「{first_five}」は 5 桁の数字で指定してください"
        )
    remainder = sum(w * int(d) for w, d in zip(_WEIGHTS, digits, strict=True)) % 11
    return (11 - remainder) % 10


def validate_code(code: str) -> str:
    """Return the 6-digit code, or raise with a message saying what is wrong with it."""
    digits = normalize_digits(code)
    if not digits:
        raise InvalidMunicipalityCode("市町村コードが空です（6 桁の数字で指定してください）")
    if not _SIX_DIGITS.fullmatch(digits):
        raise InvalidMunicipalityCode(
            f"市町村コード「{code}」が読めません（6 桁の数字で指定してください）"
        )
    expected = check_digit(digits[:5])
    if int(digits[5]) != expected:
        raise InvalidMunicipalityCode(
            f"市町村コード {digits} の検査数字が違います（正しくは {digits[:5]}{expected}）"
        )
    return digits


def is_valid_code(code: str) -> bool:
    try:
        validate_code(code)
    except InvalidMunicipalityCode:
        return False
    return True

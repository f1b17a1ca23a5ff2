import csv

import pytest

from dxdesk.domain.errors import DomainError, InvalidMunicipalityCode
from dxdesk.domain.municipality_codes import check_digit, is_valid_code, validate_code
from dxdesk.resources import resource_path


def _roster_codes() -> list[str]:
    path = resource_path("roster", "wakayama-municipalities.csv")
    with path.open(encoding="utf-8", newline="") as f:
        return [row["code"] for row in csv.DictReader(f)]


@pytest.mark.parametrize("code", _roster_codes())
def test_every_roster_code_carries_its_check_digit(code: str) -> None:
    assert check_digit(code[:5]) == int(code[5])
    assert validate_code(code) == code


def test_roster_has_thirty_codes() -> None:
    assert len(_roster_codes()) == 30


def test_ordinary_case() -> None:
    # 3*6 + 0*5 + 2*4 + 0*3 + 1*2 = 28, 28 % 11 = 6, 11 - 6 = 5
    assert check_digit("30201") == 5


def test_remainder_zero_gives_one() -> None:
    # 岩出市: 3*6 + 2*4 + 9*2 = 44, 44 % 11 = 0
    assert check_digit("30209") == 1


def test_remainder_one_gives_zero() -> None:
    # 有田市: 3*6 + 2*4 + 4*2 = 34, 34 % 11 = 1
    assert check_digit("30204") == 0


def test_wrong_check_digit_names_the_right_code() -> None:
    with pytest.raises(InvalidMunicipalityCode) as caught:
        validate_code("302016")
    assert str(caught.value) == "市町村コード 302016 の検査数字が違います（正しくは 302015）"


def test_errors_are_domain_errors_and_value_errors() -> None:
    with pytest.raises(DomainError):
        validate_code("302016")
    with pytest.raises(ValueError):
        validate_code("302016")


def test_full_width_and_spaces_are_accepted() -> None:
    assert validate_code("　３０２０１５ ") == "302015"
    assert is_valid_code("３０２０９１")


@pytest.mark.parametrize(
    "bad", ["", "   ", "30201", "3020150", "30201a", "30-2015", "三〇二〇一五"]
)
def test_malformed_codes_are_rejected(bad: str) -> None:
    with pytest.raises(InvalidMunicipalityCode, match="市町村コード"):
        validate_code(bad)
    assert not is_valid_code(bad)


def test_non_ascii_digits_that_nfkc_keeps_are_rejected() -> None:
    arabic_indic = "٣٠٢٠١٥"  # isdigit() is true for these
    assert not is_valid_code(arabic_indic)


def test_check_digit_requires_five_digits() -> None:
    with pytest.raises(InvalidMunicipalityCode):
        check_digit("3020")

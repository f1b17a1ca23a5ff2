from collections import Counter
from pathlib import Path

import pytest

from dxdesk.domain.errors import CatalogError, DomainError
from dxdesk.domain.roster import (
    Municipality,
    UnknownMunicipality,
    find_municipality,
    load_roster,
    match_municipality,
)

HEADER = "code,name,kana,kind,gun,region,population_2020\n"


@pytest.fixture(scope="module")
def roster() -> tuple[Municipality, ...]:
    return load_roster()


def test_thirty_municipalities_nine_cities_twenty_towns_one_village(
    roster: tuple[Municipality, ...],
) -> None:
    assert len(roster) == 30
    assert Counter(m.kind for m in roster) == {"市": 9, "町": 20, "村": 1}


def test_rows_are_parsed_with_empty_cells_as_none(roster: tuple[Municipality, ...]) -> None:
    by_code = {m.code: m for m in roster}
    assert by_code["302015"] == Municipality(
        "302015", "和歌山市", "ワカヤマシ", "市", None, "海草", 356729
    )
    assert by_code["302091"].population is None  # 岩出市: no figure in the file
    assert by_code["303046"].gun == "海草郡"
    assert by_code["304271"].kind == "村"


def _write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_wrong_check_digit_names_the_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "302015,和歌山市,ワカヤマシ,市,,海草,1", "302024,海南市,カイナンシ,市,,海草,"
    )
    with pytest.raises(CatalogError, match=r"3 行目.*検査数字.*302023"):
        load_roster(path)


def test_unknown_kind_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "302015,和歌山市,ワカヤマシ,区,,海草,1")
    with pytest.raises(CatalogError, match=r"2 行目.*種別「区」"):
        load_roster(path)


def test_duplicate_code_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "302015,和歌山市,ワカヤマシ,市,,海草,1", "302015,海南市,カイナンシ,市,,海草,"
    )
    with pytest.raises(CatalogError, match=r"3 行目.*302015.*2 行目"):
        load_roster(path)


def test_bad_population_is_rejected(tmp_path: Path) -> None:
    path = _write(tmp_path, "302015,和歌山市,ワカヤマシ,市,,海草,約35万")
    with pytest.raises(CatalogError, match="人口"):
        load_roster(path)


def test_missing_column_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text("code,name\n302015,和歌山市\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="kana"):
        load_roster(path)


def test_missing_file_is_a_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError):
        load_roster(tmp_path / "nothing.csv")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("302015", "302015"),
        ("３０２０１５", "302015"),
        ("30201", "302015"),
        (" 30209 ", "302091"),
        ("和歌山市", "302015"),
        ("和歌山県和歌山市", "302015"),
        ("和歌山県 有田市", "302040"),
        ("　有田川町　", "303666"),
        ("和歌山県海草郡紀美野町", "303046"),
        ("東牟婁郡 北山村", "304271"),
    ],
)
def test_match_by_code_or_name(roster: tuple[Municipality, ...], text: str, code: str) -> None:
    found = match_municipality(roster, text)
    assert found is not None
    assert found.code == code


@pytest.mark.parametrize(
    "text", ["", "  ", "302016", "1234", "大阪市", "和歌山県", "和歌山", "伊都郡紀美野町"]
)
def test_no_match_gives_none(roster: tuple[Municipality, ...], text: str) -> None:
    assert match_municipality(roster, text) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("みなべ", "みなべ町"),
        ("ミナベ", "みなべ町"),
        ("みなべちょう", "みなべ町"),
        ("海南", "海南市"),
        ("和歌山", "和歌山市"),
        ("有田", "有田市"),  # the whole name without 市 wins over 有田川町, which starts with it
        ("日高", "日高町"),
        ("那智", "那智勝浦町"),  # part of one name only
        ("きたやま", "北山村"),
        ("304271", "北山村"),
    ],
)
def test_find_takes_a_name_without_its_kind_or_its_reading(
    roster: tuple[Municipality, ...], text: str, name: str
) -> None:
    assert find_municipality(roster, text).name == name


@pytest.mark.parametrize(
    ("text", "message", "candidates"),
    [
        ("紀", "2 つあります: 紀の川市（302082）、紀美野町（303046）", 2),
        ("大阪", "市町村「大阪」が見つかりません", 0),
        ("302016", "正しくは 302015", 0),
        ("271004", "市町村コード 271004 は名簿にありません", 0),  # 大阪市
    ],
)
def test_find_names_the_candidates_or_the_mistake(
    roster: tuple[Municipality, ...], text: str, message: str, candidates: int
) -> None:
    with pytest.raises(DomainError) as refused:
        find_municipality(roster, text)
    assert message in str(refused.value)
    if candidates:
        assert isinstance(refused.value, UnknownMunicipality)
        assert len(refused.value.candidates) == candidates

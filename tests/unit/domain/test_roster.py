from collections import Counter
from pathlib import Path

import pytest

from dxdesk.domain.errors import CatalogError
from dxdesk.domain.roster import Municipality, load_roster, match_municipality

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

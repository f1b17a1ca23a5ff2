"""The municipalities the programme serves, read from the bundled roster CSV."""

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from dxdesk.domain.errors import CatalogError, DomainError, InvalidMunicipalityCode
from dxdesk.domain.municipality_codes import validate_code
from dxdesk.domain.text import normalize_digits
from dxdesk.resources import resource_path

PREFECTURE_NAME = "和歌山県"
KINDS = ("市", "町", "村")
_COLUMNS = ("code", "name", "kana", "kind", "gun", "region", "population_2020")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    kana: str
    kind: str  # 市/町/村
    gun: str | None  # 郡; cities belong to none
    region: str  # 振興局
    population: int | None


def default_roster_path() -> Path:
    return resource_path("roster", "wakayama-municipalities.csv")


def load_roster(path: Path | None = None) -> tuple[Municipality, ...]:
    """Read and check the roster; a bad row raises CatalogError naming its line."""
    path = default_roster_path() if path is None else path
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return _read_rows(path.name, csv.DictReader(f))
    except OSError as e:
        raise CatalogError(f"名簿ファイル {path} を読めません（{e.strerror}）") from e
    except UnicodeDecodeError as e:
        raise CatalogError(f"名簿ファイル {path.name} が UTF-8 ではありません") from e


def _read_rows(file_name: str, reader: "csv.DictReader[str]") -> tuple[Municipality, ...]:
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise CatalogError(f"名簿ファイル {file_name} に列 {', '.join(missing)} がありません")
    municipalities: list[Municipality] = []
    line_of_code: dict[str, int] = {}
    line_of_name: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        where = f"名簿ファイル {file_name} の {line} 行目"
        municipality = _parse_row(where, row)
        # Names must be unique too: survey answers name a municipality more often than not.
        for key, seen in ((municipality.code, line_of_code), (municipality.name, line_of_name)):
            if key in seen:
                raise CatalogError(f"{where}: {key} が {seen[key]} 行目と重複しています")
            seen[key] = line
        municipalities.append(municipality)
    if not municipalities:
        raise CatalogError(f"名簿ファイル {file_name} に市町村がありません")
    return tuple(municipalities)


def _parse_row(where: str, row: dict[str, str]) -> Municipality:
    if None in row:  # DictReader files surplus cells under the key None
        raise CatalogError(f"{where}: 列が多すぎます（{len(_COLUMNS)} 列のはずです）")
    cells = {c: (row.get(c) or "").strip() for c in _COLUMNS}
    try:
        code = validate_code(cells["code"])
    except InvalidMunicipalityCode as e:
        raise CatalogError(f"{where}: {e}") from e
    for column in ("name", "kana", "region"):
        if not cells[column]:
            raise CatalogError(f"{where}: {column} が空です")
    if cells["kind"] not in KINDS:
        raise CatalogError(f"{where}: 種別「{cells['kind']}」は 市・町・村 のどれかにしてください")
    population = cells["population_2020"]
    if population and not (population.isascii() and population.isdigit()):
        raise CatalogError(f"{where}: 人口「{population}」は数字で指定してください")
    return Municipality(
        code=code,
        name=cells["name"],
        kana=cells["kana"],
        kind=cells["kind"],
        gun=cells["gun"] or None,
        region=cells["region"],
        population=int(population) if population else None,
    )


def match_municipality(roster: Sequence[Municipality], text: str) -> Municipality | None:
    """Find the municipality meant by a code or a name as it appears in survey answers.

    Accepts the 6-digit code, the 5-digit code without its check digit, or the name with or
    without the prefecture and 郡 in front ("和歌山県 海草郡紀美野町"), in full or half width.
    """
    key = _SPACES.sub("", normalize_digits(text))
    if not key:
        return None
    if key.isascii() and key.isdigit():
        if len(key) == 6:
            return next((m for m in roster if m.code == key), None)
        if len(key) == 5:
            return next((m for m in roster if m.code[:5] == key), None)
        return None
    key = key.removeprefix(PREFECTURE_NAME)
    for m in roster:
        if key == m.name or (m.gun is not None and key == m.gun + m.name):
            return m
    return None


class UnknownMunicipality(DomainError):
    """A municipality typed by a person matches none, or several (``candidates``)."""

    def __init__(self, message: str, candidates: Sequence[Municipality] = ()) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


def find_municipality(roster: Sequence[Municipality], text: str) -> Municipality:
    """The municipality a person means, for commands: as ``match_municipality``, and also the
    name without its 市/町/村 (みなべ → みなべ町), the reading in kana (ミナベ, みなべちょう),
    or part of a name that fits one municipality only. Otherwise raises, naming the candidates
    or, for digits, what is wrong with the code.
    """
    found = match_municipality(roster, text)
    if found is not None:
        return found
    key = _SPACES.sub("", normalize_digits(text)).removeprefix(PREFECTURE_NAME)
    if key.isascii() and key.isdigit():
        code = validate_code(key)  # raises for a wrong length or check digit
        raise UnknownMunicipality(f"市町村コード {code} は名簿にありません")
    reading = _katakana(key)
    exact = [m for m in roster if key == _stem(m) or reading in (m.kana, _kana_stem(m))]
    partial = [m for m in roster if key and (key in m.name or reading in m.kana)]
    for candidates in (exact, partial):
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            listed = "、".join(f"{m.name}（{m.code}）" for m in candidates)
            raise UnknownMunicipality(
                f"「{text.strip()}」に当たる市町村が {len(candidates)} つあります: {listed}。"
                "名前を詳しく書くか、コードで指定してください",
                candidates,
            )
    raise UnknownMunicipality(
        f"市町村「{text.strip()}」が見つかりません（名前か 6 桁の市町村コードで指定してください）"
    )


_KANA_KINDS = {"市": "シ", "町": "チョウ", "村": "ムラ"}


def _stem(m: Municipality) -> str:
    return m.name.removesuffix(m.kind)


def _kana_stem(m: Municipality) -> str:
    return m.kana.removesuffix(_KANA_KINDS.get(m.kind, ""))


def _katakana(text: str) -> str:
    """ひらがな to カタカナ (ぁ U+3041 … ゖ U+3096 sit 0x60 below ァ … ヶ)."""
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)

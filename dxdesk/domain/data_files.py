"""Typed reading of the bundled JSON data files (catalog, support levels, level rule).

The files are edited by hand each year, so every mistake is reported with the file and the
place in it ("catalog-2025.json の items[3]: code がありません") instead of a KeyError.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from dxdesk.domain.errors import CatalogError


@dataclass(frozen=True)
class JsonObject:
    data: Mapping[str, object]
    where: str  # file name and path inside it, for messages

    def error(self, message: str) -> CatalogError:
        return CatalogError(f"{self.where}: {message}")

    def _get(self, key: str) -> object:
        if key not in self.data:
            raise self.error(f"{key} がありません")
        return self.data[key]

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"{key} は空でない文字列にしてください")
        return value

    def optional_text(self, key: str) -> str | None:
        if self.data.get(key) is None:
            return None
        return self.text(key)

    def integer(self, key: str) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"{key} は整数にしてください（{value!r}）")
        return value

    def number(self, key: str) -> float:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"{key} は数値にしてください（{value!r}）")
        return float(value)

    def texts(self, key: str) -> tuple[str, ...]:
        value = self._get(key)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(f"{key} は文字列のリストにしてください")
        return tuple(value)

    def child(self, key: str) -> "JsonObject":
        value = self._get(key)
        if not isinstance(value, dict):
            raise self.error(f"{key} はオブジェクトにしてください")
        return JsonObject(value, f"{self.where} の {key}")

    def children(self, key: str) -> tuple["JsonObject", ...]:
        value = self._get(key)
        if not isinstance(value, list):
            raise self.error(f"{key} はリストにしてください")
        objects: list[JsonObject] = []
        for i, element in enumerate(value):
            if not isinstance(element, dict):
                raise self.error(f"{key}[{i}] はオブジェクトにしてください")
            objects.append(JsonObject(element, f"{self.where} の {key}[{i}]"))
        return tuple(objects)


def read_json_object(path: Path) -> JsonObject:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as e:
        raise CatalogError(f"データファイル {path} がありません") from e
    except OSError as e:
        raise CatalogError(f"データファイル {path} を読めません（{e.strerror}）") from e
    except UnicodeDecodeError as e:
        raise CatalogError(f"データファイル {path.name} が UTF-8 ではありません") from e
    except json.JSONDecodeError as e:
        raise CatalogError(
            f"{path.name} の {e.lineno} 行目が JSON として読めません（{e.msg}）"
        ) from e
    if not isinstance(data, dict):
        raise CatalogError(f"{path.name} の最上位は JSON オブジェクトにしてください")
    return JsonObject(data, path.name)


def versions_in(directory: Path, prefix: str) -> tuple[str, ...]:
    """Versions of the files ``{prefix}-{version}.json`` in a directory, oldest first."""
    if not directory.is_dir():
        return ()
    found = [p.name[len(prefix) + 1 : -len(".json")] for p in directory.glob(f"{prefix}-*.json")]
    return tuple(sorted((v for v in found if v), key=_natural_key))


def _natural_key(version: str) -> tuple[tuple[int, str], ...]:
    # So that "2024b" < "2025" and "9" < "10", should a version ever not be a plain year.
    return tuple(
        (int(part), "") if part.isdigit() else (-1, part)
        for part in re.split(r"([0-9]+)", version)
        if part
    )

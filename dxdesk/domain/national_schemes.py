"""The national advisor schemes (国のアドバイザー制度), kept as data in
resources/calendar/national-schemes.json: a consultation of type ``national_scheme`` names one by
its code, and the programme counts their use per fiscal year against its plan."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import MappingProxyType

from dxdesk.domain.data_files import read_json_object
from dxdesk.resources import resource_path


def default_schemes_path() -> Path:
    return resource_path("calendar", "national-schemes.json")


@cache
def national_schemes(path: Path | None = None) -> MappingProxyType[str, str]:
    """Scheme code -> its name, in the file's order."""
    root = read_json_object(path or default_schemes_path())
    schemes: dict[str, str] = {}
    for entry in root.children("schemes"):
        code = entry.text("code")
        if code in schemes:
            raise entry.error(f"code {code!r} が重複しています")
        schemes[code] = entry.text("name")
    if not schemes:
        raise root.error("schemes に制度を 1 つ以上書いてください")
    return MappingProxyType(schemes)

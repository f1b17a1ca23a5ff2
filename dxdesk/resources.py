"""Where the bundled data files (roster, assessment catalog, fonts) live.

In a source checkout or an editable install they are in the repository's top-level
``resources/``; a wheel carries them as ``dxdesk/_resources`` (see pyproject's force-include);
a PyInstaller bundle puts them beside the frozen package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resources_root() -> Path:
    package_dir = Path(__file__).resolve().parent
    for candidate in (package_dir / "_resources", package_dir.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"DX Desk resources not found beside {package_dir}")


def resource_path(*parts: str) -> Path:
    return resources_root().joinpath(*parts)

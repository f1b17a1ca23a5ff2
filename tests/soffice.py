"""Convert files with LibreOffice (soffice --headless), as a person opening them there would.

Tests that need it skip when LibreOffice is missing, unless DXDESK_REQUIRE_SOFFICE is set (as in
CI, which installs libreoffice-calc-nogui), where a missing soffice fails the test instead.

Each conversion runs with a profile of its own (LibreOffice refuses a second instance on a
profile in use, and tests run in parallel) and with the app's bundled fonts added to
fontconfig's: a machine without a Japanese font (CI's) would print every kanji as a blank box,
which tests nothing of ours. A person's LibreOffice uses their own Japanese fonts.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from dxdesk.resources import resource_path
from tests.child_process import run

TIMEOUT = 120.0  # seconds; a conversion takes 3 to 5, the first start on a new profile more
# What soffice says on every start on a machine without Java; not about the file.
_NOISE = ("failed to launch javaldx",)


def require_soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    message = (
        "LibreOffice is not installed (no soffice); install it "
        "(apt-get install --no-install-recommends libreoffice-calc-nogui) to open the files in it"
    )
    if os.environ.get("DXDESK_REQUIRE_SOFFICE"):
        pytest.fail(message + " — DXDESK_REQUIRE_SOFFICE is set")
    pytest.skip(message)


@dataclass(frozen=True)
class Converted:
    path: Path
    complaints: list[str]  # what soffice wrote to stderr, its start-up noise left out


def convert(source: Path, to: str, workdir: Path) -> Converted:
    """``source`` converted to the format ``to`` ("pdf", "ods", "xlsx") in ``workdir``/out."""
    soffice = require_soffice()
    workdir.mkdir(parents=True, exist_ok=True)
    fonts = workdir / "fonts.conf"
    fonts.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{resource_path('fonts')}</dir>\n"
        f"  <cachedir>{workdir / 'fontconfig-cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    out = workdir / "out"
    done = run(
        [
            soffice,
            f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            str(source),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        env={**os.environ, "FONTCONFIG_FILE": str(fonts), "HOME": str(workdir)},
    )
    target = out / f"{source.stem}.{to}"
    if done.returncode != 0 or not target.is_file():
        raise AssertionError(
            f"soffice could not convert {source.name} to {to} ({done.returncode}): "
            f"{done.stdout.strip()} {done.stderr.strip()}"
        )
    complaints = [
        line
        for line in done.stderr.splitlines()
        if line.strip() and not any(noise in line for noise in _NOISE)
    ]
    return Converted(target, complaints)

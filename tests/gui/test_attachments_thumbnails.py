"""Thumbnails of attachments: a photo turned as its EXIF orientation says, the first page of a
PDF drawn (not blank), made off the UI thread and kept once per content."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest
from PIL import Image
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from dxdesk.ui import thumbnails
from dxdesk.ui.thumbnails import THUMBNAIL_BOX, Thumbnails

EXIF_ORIENTATION = 0x0112
ROTATE_90_CW = 6  # the camera was held upright: the stored pixels are wider than tall


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    thumbnails.forget_all()
    yield
    thumbnails.forget_all()


def upright_photo(path: Path) -> Path:
    """A 600×400 JPEG whose EXIF says 'turn 90° to show': upright it is 400×600."""
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = ROTATE_90_CW
    Image.new("RGB", (600, 400), "steelblue").save(path, exif=exif)
    return path


def one_page_pdf(path: Path) -> Path:
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setFont("Helvetica-Bold", 48)
    page.drawString(72, 700, "Keikaku-an")
    page.rect(72, 100, 400, 400, fill=1)
    page.save()
    return path


def made(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, path: Path, *, pdf: bool) -> QImage:
    """The thumbnail of ``path`` as the panel gets it: asked for, then ready later, made on
    another thread than the UI's."""
    maker = Thumbnails(lambda _sha256: path.open("rb"))
    threads: list[str] = []
    real_make = thumbnails.make_thumbnail

    def make(source: BinaryIO, *, pdf: bool, shown: str = "") -> QImage | None:
        threads.append(threading.current_thread().name)
        return real_make(source, pdf=pdf, shown=shown)

    monkeypatch.setattr(thumbnails, "make_thumbnail", make)  # (to see which thread)
    with qtbot.waitSignal(maker.ready) as ready:
        assert maker.thumbnail("sha-of-" + path.name, pdf=pdf) is None  # not yet
    assert ready.args == ["sha-of-" + path.name]
    assert threads and threads[0] != threading.main_thread().name
    image = maker.thumbnail("sha-of-" + path.name, pdf=pdf)  # from the cache now
    assert image is not None
    return image


def test_a_photo_taken_upright_is_shown_upright(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    image = made(qtbot, monkeypatch, upright_photo(tmp_path / "ホワイトボード.jpg"), pdf=False)
    assert image.height() > image.width()
    assert image.height() <= THUMBNAIL_BOX.height()


def test_the_first_page_of_a_pdf_is_drawn(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    image = made(qtbot, monkeypatch, one_page_pdf(tmp_path / "計画案.pdf"), pdf=True)
    assert image.height() > image.width()  # A4 upright
    white = QColor("white").rgb()
    pixels = [image.pixel(x, y) for x in range(image.width()) for y in range(image.height())]
    dark = [p for p in pixels if QColor(p).lightness() < 100]
    assert dark, "the page's text and box are drawn"
    assert pixels.count(white) > len(pixels) / 3, "on a white page"


def test_a_file_that_is_no_picture_gives_none_and_is_not_tried_again(
    qtbot: QtBot, tmp_path: Path
) -> None:
    broken = tmp_path / "壊れた.jpg"
    broken.write_bytes(b"not a jpeg at all")
    maker = Thumbnails(lambda _sha256: broken.open("rb"))
    with qtbot.waitSignal(maker.ready):
        maker.thumbnail("broken", pdf=False)
    assert maker.thumbnail("broken", pdf=False) is None
    assert "broken" in thumbnails._cache  # known to have none: not decoded at every paint


def test_a_file_missing_when_read_is_tried_again_once_here(qtbot: QtBot, tmp_path: Path) -> None:
    """Read while its bytes were not here (fetched later, or evicted meanwhile): no picture
    then, and one once the bytes are here."""
    photo = tmp_path / "窓口.jpg"
    maker = Thumbnails(lambda _sha256: photo.open("rb"))
    assert maker.thumbnail("photo", pdf=False) is None
    # Tried, no picture, and nothing said (a list asking again would ask in a loop).
    qtbot.waitUntil(lambda: "photo" not in maker._asked)
    assert "photo" not in thumbnails._cache
    upright_photo(photo)
    with qtbot.waitSignal(maker.ready):
        assert maker.thumbnail("photo", pdf=False) is None
    assert maker.thumbnail("photo", pdf=False) is not None


def test_a_failure_is_forgotten_when_the_bytes_come_again(qtbot: QtBot, tmp_path: Path) -> None:
    broken = tmp_path / "壊れた.jpg"
    broken.write_bytes(b"cut short while it was being replaced")
    maker = Thumbnails(lambda _sha256: broken.open("rb"))
    with qtbot.waitSignal(maker.ready):
        maker.thumbnail("broken", pdf=False)
    assert thumbnails._cache["broken"] is None
    upright_photo(broken)  # whole again (the list saw its presence change)
    thumbnails.forget_failure("broken")
    with qtbot.waitSignal(maker.ready):
        assert maker.thumbnail("broken", pdf=False) is None
    assert maker.thumbnail("broken", pdf=False) is not None

"""Draw the app icon: white 「DX」 on a blue rounded square, as ``dxdesk.png`` and ``dxdesk.ico``.

Run from the repository root to redraw them (they are committed, the bundle does not run this):

    QT_QPA_PLATFORM=offscreen .venv/bin/python resources/icons/make_icons.py

Qt's own ICO writer stores one image per file, so the container is written here: an ICONDIR,
one ICONDIRENTRY per size, then each size as a PNG (valid in .ico since Windows Vista; the
format PyInstaller copies into the executable as it is).
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QImage, QPainter

HERE = Path(__file__).resolve().parent
FONT_FILE = HERE.parent / "fonts" / "ipaexg.ttf"
ICO_SIZES = (16, 24, 32, 48, 256)
PNG_SIZE = 256
BACKGROUND = QColor("#1f5fa8")


def draw(size: int, family: str) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BACKGROUND)
    radius = size * 0.18
    painter.drawRoundedRect(QRectF(0, 0, size, size), radius, radius)
    font = QFont(family)
    font.setPixelSize(max(7, round(size * 0.5)))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "DX")
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    header = struct.pack("<HHH", 0, 1, len(pngs))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(pngs)
    entries, payloads = [], []
    for size, png in pngs.items():
        side = 0 if size >= 256 else size  # a byte: 0 stands for 256
        entries.append(struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset))
        payloads.append(png)
        offset += len(png)
    return header + b"".join(entries) + b"".join(payloads)


def main() -> int:
    app = QGuiApplication(sys.argv)
    font_id = QFontDatabase.addApplicationFont(str(FONT_FILE))
    if font_id < 0:
        raise RuntimeError(f"cannot load {FONT_FILE}")
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    pngs = {size: png_bytes(draw(size, family)) for size in ICO_SIZES}
    (HERE / "dxdesk.ico").write_bytes(ico_bytes(pngs))
    (HERE / "dxdesk.png").write_bytes(png_bytes(draw(PNG_SIZE, family)))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Small pictures of attachments: a photo turned as it was taken, the first page of a PDF.

Decoding a 12-megapixel photo or rendering a PDF page takes long enough to stutter typing, so
it happens on a thread of its own (not the store's worker: saves never wait behind it), with
QImage (safe off the UI thread; QPixmap is not) and QtPdf (which serialises PDFium itself).
Thumbnails are cached in memory by sha256, one per content however many records name it;
none is written to disk, so a file that leaves the laptop (an evicted municipality) leaves
no picture of itself behind. A file that gives none is remembered (not decoded at every paint)
only while it is here: one missing when read, or whose bytes come or go since, is tried again.
The stored bytes are encrypted (models/file_cipher.py): Qt reads them through a device that
decrypts what it asks for (``_PlainDevice``), never a plaintext copy on disk nor the whole file
in memory.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from typing import BinaryIO

from PySide6.QtCore import QIODevice, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter
from PySide6.QtPdf import QPdfDocument

from dxdesk.models.store import StoreError

log = logging.getLogger(__name__)

THUMBNAIL_BOX = QSize(96, 96)  # the longer side fits this; the list shows them smaller
CACHE_SIZE = 400  # thumbnails kept (about 36 KB each)

# One thread for every panel: thumbnails wait their turn rather than compete for the disk.
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dxdesk-thumbnails")
_cache: OrderedDict[str, QImage | None] = OrderedDict()  # None: nothing to show (undecodable)


def _fit(size: QSize) -> QSize:
    return size.scaled(THUMBNAIL_BOX, Qt.AspectRatioMode.KeepAspectRatio)


class _PlainDevice(QIODevice):
    """A seekable file (a stored file decrypted as it is read) as Qt's readers want it."""

    def __init__(self, file: BinaryIO) -> None:
        super().__init__()
        self._file = file
        self._size = file.seek(0, 2)
        self.open(QIODevice.OpenModeFlag.ReadOnly)

    def isSequential(self) -> bool:
        return False

    def size(self) -> int:
        return self._size

    def readData(self, maxlen: int) -> bytes:
        self._file.seek(self.pos())
        return self._file.read(maxlen)

    def writeData(self, data: bytes | bytearray | memoryview, length: int, /) -> int:
        return -1  # read only


def image_thumbnail(file: BinaryIO, shown: str = "") -> QImage | None:
    """A photo scaled to the box, turned as its EXIF orientation says (decoded at the small
    size where the format allows it, so a large photo is never held whole)."""
    device = _PlainDevice(file)
    reader = QImageReader(device)
    reader.setAutoTransform(True)
    size = reader.size()  # as stored, before the orientation turns it
    if size.isValid() and (
        size.width() > THUMBNAIL_BOX.width() or size.height() > THUMBNAIL_BOX.height()
    ):
        reader.setScaledSize(_fit(size))
    image = reader.read()
    if image.isNull():
        log.info("no thumbnail for %s: %s", shown, reader.errorString())
        return None
    if image.width() > THUMBNAIL_BOX.width() or image.height() > THUMBNAIL_BOX.height():
        image = image.scaled(
            THUMBNAIL_BOX,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return image


def pdf_thumbnail(file: BinaryIO, shown: str = "") -> QImage | None:
    """The first page of a PDF, on white (a page's background is transparent otherwise)."""
    device = _PlainDevice(file)
    document = QPdfDocument()
    try:
        document.load(device)  # a device that is not sequential: read before load returns
        if document.error() != QPdfDocument.Error.None_ or document.pageCount() < 1:
            log.info("no thumbnail for %s: %s", shown, document.error())
            return None
        points = document.pagePointSize(0).toSize()
        if points.isEmpty():
            return None
        size = _fit(points)
        page = document.render(0, size)
    finally:
        document.close()
    if page.isNull():
        return None
    image = QImage(size, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.drawImage(0, 0, page)
    painter.end()
    return image


def make_thumbnail(file: BinaryIO, *, pdf: bool, shown: str = "") -> QImage | None:
    """The thumbnail of the open, seekable ``file`` (a stored file decrypted as it is read)."""
    try:
        return pdf_thumbnail(file, shown) if pdf else image_thumbnail(file, shown)
    except (OSError, StoreError):  # the disk, or bytes damaged: no picture, no crash
        log.info("no thumbnail for %s", shown, exc_info=True)
        return None


def cached(sha256: str) -> QImage | None:
    return _cache.get(sha256)


def forget_failure(sha256: str) -> None:
    """Try this content again next time it is asked for, if it gave no picture before (its
    bytes came or went since)."""
    if sha256 in _cache and _cache[sha256] is None:
        del _cache[sha256]


def forget_all() -> None:
    """Drop every cached thumbnail (tests; a restored backup)."""
    _cache.clear()


class Thumbnails(QObject):
    """Asks for thumbnails and says when one is ready (``ready(sha256)``, on the UI thread)."""

    ready = Signal(str)
    _made = Signal(str, object, bool)  # from the thumbnail thread: sha256, QImage or None, kept

    def __init__(
        self,
        open_file: Callable[[str], AbstractContextManager[BinaryIO]],
        parent: QObject | None = None,
    ) -> None:
        """``open_file`` opens a sha256's bytes as a seekable file (``FileStore.opened``),
        FileNotFoundError when they are not here."""
        super().__init__(parent)
        self._open_file = open_file
        self._asked: set[str] = set()
        self._made.connect(self._store)  # queued: emitted on another thread

    def thumbnail(self, sha256: str, *, pdf: bool) -> QImage | None:
        """The cached thumbnail, or None while it is made (``ready`` follows) or if none can."""
        if sha256 in _cache:
            _cache.move_to_end(sha256)
            return _cache[sha256]
        if sha256 not in self._asked:
            self._asked.add(sha256)
            _pool.submit(self._make, sha256, pdf)
        return None

    def _make(self, sha256: str, pdf: bool) -> None:
        here = True
        image = None
        try:
            with self._open_file(sha256) as file:
                image = make_thumbnail(file, pdf=pdf, shown=sha256[:12])
        except FileNotFoundError:
            here = False
        except Exception:  # a decoder's own failure must not silence the thread
            log.exception("thumbnail failed for %s", sha256[:12])
        # No picture of a file that was not there (being fetched or evicted): not kept.
        self._made.emit(sha256, image, image is not None or here)

    def _store(self, sha256: str, image: QImage | None, keep: bool) -> None:
        self._asked.discard(sha256)
        if not keep:
            return
        _cache[sha256] = image
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        self.ready.emit(sha256)

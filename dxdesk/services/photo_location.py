"""Where a photo was taken, removed before it is attached (and so before it leaves the laptop).

A phone's photo carries its GPS position in its EXIF (the GPS IFD) and sometimes in its XMP.
A photo of a whiteboard at a city hall tells nobody anything by its position, and the position
of an advisor's home would tell too much, so it goes. The rest stays as it was: the picture is
not decoded nor encoded again (no loss of quality), the orientation and the other EXIF fields
keep their values. The location is overwritten in place, byte for byte, so every offset in the
file stays valid: ``location_patches`` says which bytes become what, and the file store applies
them while it copies the photo in (models/file_store.py). A photo without a location has no
patches: its copy is byte-identical.

Read: JPEG (its APP1 segments), TIFF (the file is itself EXIF's TIFF structure), and HEIC, HEIF
and WebP, whose EXIF item is found by its "Exif\\0\\0" header (Pillow here reads no HEIC; this
needs no decoder). PNG keeps a CRC over each chunk and phones do not write a location there.
EXIF that cannot be parsed in a JPEG is blanked whole: a position that cannot be found cannot
be said to be gone.
"""

from __future__ import annotations

import contextlib
import mmap
import re
import struct
from collections.abc import Callable
from typing import Any, BinaryIO, Final

Patch = tuple[int, bytes]  # (offset in the file, the bytes written there instead)
_Unpack = Callable[[str, int], tuple[Any, ...]]

PHOTO_TYPES: Final = frozenset(
    {"image/jpeg", "image/tiff", "image/heic", "image/heif", "image/webp", "image/avif"}
)
_GPS_IFD_TAG: Final = 0x8825
_EXIF_HEADER: Final = b"Exif\x00\x00"
_TIFF_HEADERS: Final = (b"II*\x00", b"MM\x00*")
# Sizes of the TIFF field types 1..13 (BYTE, ASCII, SHORT, LONG, RATIONAL, …, IFD).
_TYPE_SIZES: Final = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}
_TYPE_SIZES_MORE: Final = {13: 4, 16: 8, 17: 8, 18: 8}
# XMP's own GPS properties (exif:GPSLatitude="…" or <exif:GPSLatitude>…</…>), blanked in place.
_XMP_PACKET: Final = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>", re.DOTALL)
_XMP_ATTRIBUTE: Final = re.compile(rb"""\b(?:exif|exifEX):GPS\w*\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_XMP_ELEMENT: Final = re.compile(rb"<((?:exif|exifEX):GPS\w*)\b[^>]*>(.*?)</\1>", re.DOTALL)


class _Unreadable(Exception):
    """EXIF that does not parse (cut short, offsets outside it)."""


def location_patches(file: BinaryIO) -> list[Patch]:
    """The bytes to overwrite in ``file`` (an open, seekable photo) to remove its location."""
    file.seek(0, 2)
    if file.tell() == 0:
        return []
    with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data[:2] == b"\xff\xd8":
            return _jpeg_patches(data)
        patches: list[Patch] = []
        if data[:4] in _TIFF_HEADERS:
            patches += _tiff_patches(data, 0, len(data))
        else:
            at = data.find(_EXIF_HEADER)
            while at != -1:
                start = at + len(_EXIF_HEADER)
                if data[start : start + 4] in _TIFF_HEADERS:
                    # Bytes that only looked like a header are left as they are.
                    with contextlib.suppress(_Unreadable):
                        patches += _tiff_patches(data, start, len(data))
                at = data.find(_EXIF_HEADER, at + 1)
        return patches + _xmp_patches(data, 0, len(data))


def _jpeg_patches(data: mmap.mmap) -> list[Patch]:
    """Walk the JPEG's segments up to the image data: APP1 holds EXIF and XMP."""
    patches: list[Patch] = []
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more metadata
            break
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        body, end = at + 4, min(at + 2 + length, len(data))
        if marker == 0xE1:
            if data[body : body + 6] == _EXIF_HEADER:
                start = body + 6
                try:
                    patches += _tiff_patches(data, start, end)
                except _Unreadable:
                    patches.append((start, bytes(end - start)))
            else:
                patches += _xmp_patches(data, body, end)
        at = at + 2 + length
    return patches


def _tiff_patches(data: mmap.mmap, start: int, end: int) -> list[Patch]:
    """Empty every GPS IFD reachable from IFD0's chain of a TIFF structure at ``start``."""
    header = data[start : start + 8]
    if len(header) < 8 or header[:4] not in _TIFF_HEADERS:
        raise _Unreadable
    order = "<" if header[:2] == b"II" else ">"

    def unpack(fmt: str, offset: int) -> tuple[Any, ...]:
        size = struct.calcsize(order + fmt)
        if offset < 0 or start + offset + size > end:
            raise _Unreadable
        return struct.unpack(order + fmt, data[start + offset : start + offset + size])

    patches: list[Patch] = []
    (ifd,) = unpack("I", 4)
    seen: set[int] = set()
    while ifd and ifd not in seen and len(seen) < 16:
        seen.add(ifd)
        (count,) = unpack("H", ifd)
        for n in range(count):
            tag, _type, _count, value = unpack("HHII", ifd + 2 + 12 * n)
            if tag == _GPS_IFD_TAG and value:
                patches += _emptied_ifd(unpack, start, value)
        (ifd,) = unpack("I", ifd + 2 + 12 * count)
    return patches


def _emptied_ifd(unpack: _Unpack, start: int, ifd: int) -> list[Patch]:
    """Zero an IFD's entries and the values they point to, and give it no entries."""
    (count,) = unpack("H", ifd)
    patches: list[Patch] = []
    for n in range(count):
        entry = ifd + 2 + 12 * n
        _tag, kind, number, value = unpack("HHII", entry)
        size = _TYPE_SIZES.get(kind) or _TYPE_SIZES_MORE.get(kind, 1)
        if size * number > 4:
            unpack(f"{size * number}s", value)  # inside the EXIF block, or unreadable
            patches.append((start + value, bytes(size * number)))
    # The entries and the next-IFD pointer after them: a reader now finds an empty IFD.
    unpack(f"{2 + 12 * count + 4}s", ifd)
    patches.append((start + ifd, bytes(2 + 12 * count + 4)))
    return patches


def _xmp_patches(data: mmap.mmap, start: int, end: int) -> list[Patch]:
    """Blank the values of XMP's GPS properties (spaces keep the packet's length and form)."""
    if data.find(b"<x:xmpmeta", start, end) == -1:
        return []
    patches: list[Patch] = []
    for packet in _XMP_PACKET.finditer(data, start, end):
        for pattern in (_XMP_ATTRIBUTE, _XMP_ELEMENT):
            for found in pattern.finditer(data, packet.start(), packet.end()):
                if found.end(2) > found.start(2):
                    patches.append((found.start(2), b" " * (found.end(2) - found.start(2))))
    return patches

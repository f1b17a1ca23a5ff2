"""Where a photo was taken, removed before it is attached (and so before it leaves the laptop).

A phone's photo carries its GPS position in its EXIF (the GPS IFD) and sometimes in its XMP.
A photo of a whiteboard at a city hall tells nobody anything by its position, and the position
of an advisor's home would tell too much, so it goes. The rest stays as it was: the picture is
not decoded nor encoded again (no loss of quality), the orientation and the other EXIF fields
keep their values. The location is overwritten in place, byte for byte, so every offset in the
file stays valid: ``location_patches`` says which bytes become what, and the file store applies
them while it copies the photo in (models/file_store.py). A photo without a location has no
patches: its copy is byte-identical.

What a file is, is told by its first bytes, never by its name (a phone's JPEG named ``image`` or
``photo.bin`` is a photo; a PDF embedding one is not, and is never patched):
- JPEG: the APP1 segments of every image in the file (an MPO's or an Ultra HDR photo's second
  image is appended after the first one's end and has its own EXIF);
- TIFF (and DNG): the file is itself EXIF's TIFF structure;
- WebP: its ``EXIF`` chunk (the bare TIFF structure, or after an "Exif\\0\\0" header) and its
  ``XMP `` chunk;
- PNG: its ``eXIf`` chunk and its XMP (``iTXt``), each chunk's CRC written again;
- HEIC, HEIF and AVIF: the EXIF item, found by its "Exif\\0\\0" header (Pillow here reads no
  HEIC; this needs no decoder).
EXIF that cannot be parsed is blanked whole: a position that cannot be found cannot be said to
be gone. The photo is read with plain reads (never mapped: a file cut short by another program
meanwhile would kill the process with SIGBUS rather than be refused as changed).
"""

from __future__ import annotations

import contextlib
import re
import struct
import zlib
from collections.abc import Callable
from typing import Any, BinaryIO, Final

from dxdesk.models.file_writing import Patch, apply_patches

_Unpack = Callable[[str, int], tuple[Any, ...]]

_GPS_IFD_TAG: Final = 0x8825
_EXIF_HEADER: Final = b"Exif\x00\x00"
_TIFF_HEADERS: Final = (b"II*\x00", b"MM\x00*")
_JPEG_START: Final = b"\xff\xd8\xff"
_PNG_SIGNATURE: Final = b"\x89PNG\r\n\x1a\n"
# ISO base media brands of still pictures (HEIC, HEIF, AVIF); a video's (.mov, .mp4) are not.
_HEIF_BRANDS: Final = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
)
# How a HEIF's EXIF item starts: (bytes found, how many of them come before the TIFF header).
_HEIF_EXIF_STARTS: Final = (
    (_EXIF_HEADER, 6),
    (b"\x00\x00\x00\x00II*\x00", 4),
    (b"\x00\x00\x00\x00MM\x00*", 4),
)
# Sizes of the TIFF field types 1..13 (BYTE, ASCII, SHORT, LONG, RATIONAL, …, IFD).
_TYPE_SIZES: Final = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}
_TYPE_SIZES_MORE: Final = {13: 4, 16: 8, 17: 8, 18: 8}
# XMP's own GPS properties (exif:GPSLatitude="…" or <exif:GPSLatitude>…</…>), blanked in place.
_XMP_PACKET: Final = re.compile(rb"<x:xmpmeta.*?</x:xmpmeta>", re.DOTALL)
_XMP_ATTRIBUTE: Final = re.compile(rb"""\b(?:exif|exifEX):GPS\w*\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_XMP_ELEMENT: Final = re.compile(rb"<((?:exif|exifEX):GPS\w*)\b[^>]*>(.*?)</\1>", re.DOTALL)


class _Unreadable(Exception):
    """EXIF that does not parse (cut short, offsets outside it)."""


def photo_kind(head: bytes) -> str | None:
    """ "jpeg", "tiff", "webp", "png" or "heif" by a file's first 32 bytes; None for the rest."""
    if head.startswith(_JPEG_START):
        return "jpeg"
    if head[:4] in _TIFF_HEADERS:
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(_PNG_SIGNATURE):
        return "png"
    if head[4:8] == b"ftyp":
        (size,) = struct.unpack(">I", head[:4])
        brands = {head[at : at + 4] for at in range(8, min(max(size, 16), len(head)) - 3, 4)}
        if brands & _HEIF_BRANDS:
            return "heif"
    return None


def location_patches(file: BinaryIO) -> list[Patch]:
    """The bytes to overwrite in ``file`` (an open, seekable file) to remove a photo's
    location; none for a file that is not a photo."""
    file.seek(0)
    kind = photo_kind(file.read(32))
    if kind is None:
        return []
    file.seek(0)
    data = file.read()
    if kind == "jpeg":
        return _jpeg_patches(data)
    if kind == "webp":
        return _webp_patches(data)
    if kind == "png":
        return _png_patches(data)
    patches: list[Patch] = []
    if kind == "tiff":
        # A TIFF whose own structure does not parse is no picture any reader can place.
        with contextlib.suppress(_Unreadable):
            patches += _tiff_patches(data, 0, len(data))
    else:
        patches += _headed_exif_patches(data, 0)
    return patches + _xmp_patches(data, 0, len(data))


def _jpeg_patches(data: bytes) -> list[Patch]:
    """Every image's metadata: the first one's, then each appended after it (MPO, gain maps).
    "FF D8" never occurs inside a JPEG's image data, so each one found after it starts one."""
    patches: list[Patch] = []
    at = 0
    while at != -1:
        end = _jpeg_image_patches(data, at, patches)
        at = data.find(_JPEG_START, end)
    return patches


def _jpeg_image_patches(data: bytes, at: int, patches: list[Patch]) -> int:
    """Walk one image's segments up to its image data (APP1 holds EXIF and XMP); where the
    walk stopped."""
    at += 2
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
                patches += _exif_or_blank(data, body + 6, end)
            else:
                patches += _xmp_patches(data, body, end)
        at = at + 2 + length
    return at


def _webp_patches(data: bytes) -> list[Patch]:
    """A WebP's RIFF chunks: EXIF holds the TIFF structure (bare, or after "Exif\\0\\0")."""
    patches: list[Patch] = []
    at = 12
    while at + 8 <= len(data):
        fourcc = data[at : at + 4]
        (size,) = struct.unpack("<I", data[at + 4 : at + 8])
        body, end = at + 8, min(at + 8 + size, len(data))
        if fourcc == b"EXIF":
            start = body + 6 if data[body : body + 6] == _EXIF_HEADER else body
            patches += _exif_or_blank(data, start, end)
        elif fourcc == b"XMP ":
            patches += _xmp_patches(data, body, end)
        at = body + size + (size & 1)
    return patches


def _png_patches(data: bytes) -> list[Patch]:
    """A PNG's eXIf chunk (and XMP in iTXt); a chunk changed gets its CRC written again."""
    patches: list[Patch] = []
    at = len(_PNG_SIGNATURE)
    while at + 12 <= len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        body, end = at + 8, at + 8 + size
        if end + 4 > len(data):
            break
        found: list[Patch] = []
        if kind == b"eXIf":
            start = body + 6 if data[body : body + 6] == _EXIF_HEADER else body
            found = _exif_or_blank(data, start, end)
        elif kind == b"iTXt":
            found = _xmp_patches(data, body, end)
        if found:
            chunk = apply_patches(data[at + 4 : end], at + 4, found)
            patches += [*found, (end, struct.pack(">I", zlib.crc32(chunk)))]
        if kind == b"IEND":
            break
        at = end + 4
    return patches


def _headed_exif_patches(data: bytes, start: int) -> list[Patch]:
    """Every EXIF block of a HEIF's EXIF item: after an "Exif\\0\\0" header, or right after
    the item's 4-byte offset to its TIFF header when that offset is 0."""
    patches: list[Patch] = []
    for header, skip in _HEIF_EXIF_STARTS:
        patches += _found_tiff_patches(data, start, header, skip)
    return patches


def _found_tiff_patches(data: bytes, start: int, header: bytes, skip: int) -> list[Patch]:
    patches: list[Patch] = []
    at = data.find(header, start)
    while at != -1:
        tiff = at + skip
        if data[tiff : tiff + 4] in _TIFF_HEADERS:
            # Bytes that only looked like a header are left as they are.
            with contextlib.suppress(_Unreadable):
                patches += _tiff_patches(data, tiff, len(data))
        at = data.find(header, at + 1)
    return patches


def _exif_or_blank(data: bytes, start: int, end: int) -> list[Patch]:
    """A block's GPS emptied, or the whole block blanked when it does not parse."""
    try:
        return _tiff_patches(data, start, end)
    except _Unreadable:
        return [(start, bytes(max(end - start, 0)))]


def _tiff_patches(data: bytes, start: int, end: int) -> list[Patch]:
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


def _xmp_patches(data: bytes, start: int, end: int) -> list[Patch]:
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

"""A photo's location is gone before it is attached; its picture and orientation are not."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from PIL.ExifTags import IFD

from dxdesk.models.file_writing import apply_patches
from dxdesk.services.photo_location import location_patches
from dxdesk.services.workspace import Workspace
from tests.store_files import stored_bytes

ORIENTATION = 0x0112
MAKE = 0x010F
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="r">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="34,27.123N" exif:DateTimeOriginal="2025-06-12">'
    b"<exif:GPSLongitude>135,10.5E</exif:GPSLongitude>"
    b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    b'<?xpacket end="w"?>'
)


def exif_with_location(*, gps: bool = True) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "Canon"
    if gps:
        place = exif.get_ifd(IFD.GPSInfo)
        place.update({1: "N", 2: (34.0, 27.0, 7.4), 3: "E", 4: (135.0, 10.0, 30.0)})
    return exif


def jpeg(*, gps: bool = True, xmp: bool = False) -> bytes:
    picture = Image.linear_gradient("L").convert("RGB").resize((64, 48))
    out = io.BytesIO()
    extra: dict[str, Any] = {"xmp": XMP} if xmp else {}
    picture.save(out, "JPEG", exif=exif_with_location(gps=gps), quality=90, **extra)
    return out.getvalue()


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as picture:
        return picture.tobytes()


@pytest.fixture
def visit(workspace: Workspace, visit_payload: dict[str, object]) -> dict[str, Any]:
    return workspace.engagements.add(visit_payload)


def attach(workspace: Workspace, visit: dict[str, Any], path: Path) -> bytes:
    (made,) = workspace.attachments.attach("visit", visit["id"], [path])
    return stored_bytes(workspace.files, made["sha256"])


def test_a_photo_loses_its_location_and_keeps_its_picture_and_orientation(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    original = jpeg()
    with Image.open(io.BytesIO(original)) as picture:
        assert picture.getexif().get_ifd(IFD.GPSInfo)  # the test photo has one
    source = tmp_path / "ホワイトボード.JPG"
    source.write_bytes(original)
    stored = attach(workspace, visit, source)
    assert len(stored) == len(original) and stored != original
    with Image.open(io.BytesIO(stored)) as picture:
        exif = picture.getexif()
        assert exif.get_ifd(IFD.GPSInfo) == {}
        assert (exif[ORIENTATION], exif[MAKE]) == (6, "Canon")
    assert pixels(stored) == pixels(original)  # not encoded again
    assert source.read_bytes() == original  # the person's own file is untouched


def test_a_photo_without_a_location_is_kept_byte_for_byte(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    original = jpeg(gps=False)
    source = tmp_path / "写真.jpg"
    source.write_bytes(original)
    assert attach(workspace, visit, source) == original


def test_the_location_in_xmp_is_blanked_too(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    source = tmp_path / "写真.jpeg"
    source.write_bytes(jpeg(xmp=True))
    stored = attach(workspace, visit, source)
    assert b"34,27.123N" not in stored and b"135,10.5E" not in stored
    assert b'exif:DateTimeOriginal="2025-06-12"' in stored
    with Image.open(io.BytesIO(stored)) as picture:
        assert "GPSLatitude" in picture.info["xmp"].decode()  # the packet still parses


def test_a_pdf_is_never_patched(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    """Only photos are read for a location: other files are copied as they are, even when
    their bytes happen to hold an EXIF block (a PDF with an embedded photo)."""
    data = b"%PDF-1.7\n" + jpeg() + b"\n%%EOF"
    source = tmp_path / "報告書.pdf"
    source.write_bytes(data)
    assert attach(workspace, visit, source) == data


def tiff_structure() -> bytes:
    """EXIF's TIFF structure alone: how a TIFF file starts (Pillow writes no GPS in TIFF)."""
    block = exif_with_location().tobytes()
    assert block.startswith(b"Exif\x00\x00")
    return block[6:]


def locations(data: bytes, at: int = 0) -> dict[int, Any]:
    exif = Image.Exif()
    exif.load(data[at:])
    return dict(exif.get_ifd(IFD.GPSInfo))


def patched(tmp_path: Path, data: bytes) -> bytes:
    path = tmp_path / "photo"
    path.write_bytes(data)
    with path.open("rb") as file:
        return apply_patches(data, 0, location_patches(file))


def test_a_tiff_loses_its_location(tmp_path: Path) -> None:
    data = tiff_structure() + b"\0" * 64
    assert locations(data)
    out = patched(tmp_path, data)
    assert locations(out) == {}
    exif = Image.Exif()
    exif.load(out)
    assert exif[ORIENTATION] == 6


def test_a_heic_exif_item_loses_its_location(tmp_path: Path) -> None:
    """HEIC keeps EXIF as an item ("Exif\\0\\0" after a 4-byte offset) in its media data box;
    Pillow here cannot open HEIC, and none is needed to find it."""
    exif = b"\x00\x00\x00\x06Exif\x00\x00" + tiff_structure()
    ftyp = struct.pack(">I", 24) + b"ftypheic" + b"\0\0\0\0" + b"mif1heic"
    mdat = struct.pack(">I", 8 + len(exif) + 32) + b"mdat" + exif + b"\x55" * 32
    data = ftyp + mdat
    start = data.index(b"Exif\x00\x00") + 6
    assert locations(data, start)
    out = patched(tmp_path, data)
    assert len(out) == len(data)
    assert locations(out, start) == {}
    assert out[-32:] == b"\x55" * 32 and out[:24] == ftyp


def test_damaged_exif_in_a_jpeg_is_blanked_whole(tmp_path: Path) -> None:
    original = jpeg()
    at = original.index(b"Exif\x00\x00") + 6
    broken = bytearray(original)
    broken[at + 4 : at + 8] = struct.pack("<I", 0xFFFFFF)  # IFD0 far outside the block
    out = patched(tmp_path, bytes(broken))
    assert b"Canon" not in out and out[at : at + 8] == bytes(8)
    with Image.open(io.BytesIO(out)) as picture:
        assert picture.getexif().get_ifd(IFD.GPSInfo) == {}
    assert pixels(out) == pixels(original)


def picture() -> Image.Image:
    return Image.linear_gradient("L").convert("RGB").resize((64, 48))


def saved(kind: str, **options: Any) -> bytes:
    out = io.BytesIO()
    picture().save(out, kind, exif=exif_with_location(), **options)
    return out.getvalue()


def assert_no_location(data: bytes, *, frames: int = 1) -> None:
    """Pillow finds no GPS in any frame, and the orientation is kept."""
    with Image.open(io.BytesIO(data)) as photo:
        assert getattr(photo, "n_frames", 1) == frames
        for frame in range(frames):
            photo.seek(frame)
            exif = photo.getexif()
            assert exif.get_ifd(IFD.GPSInfo) == {}
            assert exif[ORIENTATION] == 6
        photo.load()  # the picture still decodes


@pytest.mark.parametrize(
    ("name", "kind", "options"),
    [
        ("whiteboard.webp", "WEBP", {"lossless": True}),
        ("whiteboard.png", "PNG", {}),
        ("IMG_0001", "JPEG", {}),  # a phone's photo without an extension
        ("photo.bin", "JPEG", {}),  # or with the wrong one
        ("scan.pdf", "JPEG", {}),
    ],
)
def test_a_photo_of_any_kind_and_name_loses_its_location(
    workspace: Workspace,
    visit: dict[str, Any],
    tmp_path: Path,
    name: str,
    kind: str,
    options: dict[str, Any],
) -> None:
    original = saved(kind, **options)
    with Image.open(io.BytesIO(original)) as photo:
        assert photo.getexif().get_ifd(IFD.GPSInfo)  # the test photo has one
    source = tmp_path / name
    source.write_bytes(original)
    stored = attach(workspace, visit, source)
    assert len(stored) == len(original)
    assert_no_location(stored)
    assert pixels(stored) == pixels(original)


def test_every_image_of_a_multi_picture_jpeg_loses_its_location(
    workspace: Workspace, visit: dict[str, Any], tmp_path: Path
) -> None:
    """An MPO (and an Ultra HDR photo's gain map) appends images after the first one's end,
    each with its own EXIF."""
    out = io.BytesIO()
    second = picture().rotate(90)
    exif = exif_with_location()
    picture().save(out, "MPO", save_all=True, append_images=[second], exif=exif)
    original = out.getvalue()
    with Image.open(io.BytesIO(original)) as photo:
        photo.seek(1)
        assert photo.getexif().get_ifd(IFD.GPSInfo)  # the second image has one
    source = tmp_path / "gps_mpo.jpg"
    source.write_bytes(original)
    assert_no_location(attach(workspace, visit, source), frames=2)


def test_a_png_chunk_changed_keeps_a_valid_crc(tmp_path: Path) -> None:
    original = saved("PNG")
    out = patched(tmp_path, original)
    at = out.index(b"eXIf") - 4
    (size,) = struct.unpack(">I", out[at : at + 4])
    chunk = out[at + 4 : at + 8 + size]
    assert struct.unpack(">I", out[at + 8 + size : at + 12 + size])[0] == zlib.crc32(chunk)
    assert chunk != original[at + 4 : at + 8 + size]


def test_a_photo_is_read_without_mapping_it(tmp_path: Path) -> None:
    """A pipe-like reader without a file number still gives the patches (a photo is read with
    plain reads, never mapped: a file cut short meanwhile must not kill the process)."""
    original = jpeg()
    assert apply_patches(original, 0, location_patches(io.BytesIO(original))) == patched(
        tmp_path, original
    )


def test_a_heic_exif_item_without_its_header_loses_its_location(tmp_path: Path) -> None:
    """An EXIF item whose 4-byte offset is 0: the TIFF structure comes right after it."""
    exif = b"\x00\x00\x00\x00" + tiff_structure()
    ftyp = struct.pack(">I", 24) + b"ftypmif1" + b"\0\0\0\0" + b"mif1heic"
    mdat = struct.pack(">I", 8 + len(exif) + 32) + b"mdat" + exif + b"\x55" * 32
    data = ftyp + mdat
    start = len(ftyp) + 8 + 4
    assert locations(data, start)
    out = patched(tmp_path, data)
    assert locations(out, start) == {}
    exif_out = Image.Exif()
    exif_out.load(out[start:])
    assert exif_out[ORIENTATION] == 6

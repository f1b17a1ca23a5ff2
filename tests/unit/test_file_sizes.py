"""A file's size reads the same in the window and in the reports (dxdesk/domain/file_sizes.py)."""

from __future__ import annotations

from dxdesk.domain.file_sizes import file_size_text, size_amount


def test_sizes_read_as_explorer_shows_them() -> None:
    assert file_size_text(0) == "0 バイト"
    assert file_size_text(1023) == "1023 バイト"
    assert file_size_text(1024) == "1 KB"
    assert file_size_text(36 * 1024 - 100) == "36 KB"  # rounded up
    assert file_size_text(1024 * 1024 - 1) == "1,024 KB"
    assert file_size_text(1_536_000) == "1.5 MB"
    assert size_amount(24 * 1024 * 1024) == ("24.0", "MB")

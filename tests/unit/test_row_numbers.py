"""Row numbers as a person types them for --exclude-rows (import-survey and import-records)."""

from __future__ import annotations

import pytest

from dxdesk.command_line import row_numbers


@pytest.mark.parametrize(
    ("text", "rows"),
    [("7,9", {7, 9}), ("12、15-17", {12, 15, 16, 17}), (" 3 , ", {3}), ("", set())],
)
def test_row_numbers_and_ranges(text: str, rows: set[int]) -> None:
    assert row_numbers(text) == rows


@pytest.mark.parametrize("text", ["7;9", "a", "3-", "-4", "3-x"])
def test_anything_else_is_refused(text: str) -> None:
    with pytest.raises(ValueError):
        row_numbers(text)

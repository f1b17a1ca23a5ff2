"""Damage a laptop's store the way a disk or a power cut does, for the tests of its refusal."""

from __future__ import annotations

from pathlib import Path

from tests.store_files import connect_store


def damage_a_table_page(path: Path) -> None:
    """Overwrite the first page of the records' table and of each of its indexes (the
    municipality list reads an index only), the header and the schema intact.

    SQLite opens such a store without a word; a command would find the damage halfway, a page
    check (PRAGMA quick_check) finds it at once.
    """
    connection = connect_store(path)
    try:
        roots = [
            int(root)
            for (root,) in connection.execute(
                "SELECT rootpage FROM sqlite_master WHERE tbl_name = 'engagement' AND rootpage > 0"
            )
        ]
        (page,) = connection.execute("PRAGMA page_size").fetchone()
    finally:
        connection.close()
    page = int(page)
    content = bytearray(path.read_bytes())
    for root in roots:
        content[(root - 1) * page : root * page] = bytes([0xA5]) * page
    path.write_bytes(bytes(content))

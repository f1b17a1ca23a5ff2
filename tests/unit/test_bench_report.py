"""The benchmark table names every missed target with its gap, and counts the met ones."""

from __future__ import annotations

from bench.report import Row, format_table, summary


def test_a_missed_target_is_named_with_its_gap() -> None:
    rows = [
        Row("import", 3.10, target_s=3.0, baseline_s=1.0),
        Row("search", 0.023, target_s=0.05, baseline_s=0.001),
        Row("server", None, target_s=10.0, detail="skipped: no PostgreSQL"),
        Row("baseline", 0.5),
    ]
    assert summary(rows) == (
        "targets: 1 of 3 met. missed: import by +100 ms (+3%). not measured: server"
    )
    table = format_table(rows)
    assert "< 3.00 s MISSED by +100 ms (+3%)" in table
    assert "< 50 ms |" in table and "MISSED" not in table.split("\n")[3]


def test_all_met_says_so() -> None:
    assert summary([Row("a", 1.0, target_s=2.0)]) == "targets: 1 of 1 met"

"""A conflict on the programme calendar's records reads in words: attendance by municipality
name and people, a plan's targets by their labels, statuses and schemes by their labels."""

from __future__ import annotations

from dxdesk.ui.sync_conflict_text import record_text, value_text

WAKAYAMA, KAINAN = "302015", "302023"


def test_an_events_attendance_status_and_times_read_as_words() -> None:
    assert value_text("event", "attendance", {WAKAYAMA: 3, KAINAN: 2}) == "和歌山市 3名、海南市 2名"
    text = record_text(
        "event",
        {"status": "planned", "start_time": "13:30", "participants": [KAINAN], "mode": "online"},
    )
    assert text.splitlines() == [
        "参加市町村: 海南市",
        "状態: 予定",
        "開始: 13:30",
        "形式: オンライン",
    ]


def test_a_plans_targets_a_cadence_and_a_scheme_read_by_their_labels() -> None:
    targets = {"regional_consultation": 2, "scheme.informatization_advisor": 3}
    assert value_text("programme_plan", "targets", targets) == (
        "地域別よろず相談（振興局ごと） 2回、国の制度: 地域情報化アドバイザー派遣 3回"
    )
    assert record_text("cadence", {"municipality": KAINAN, "months": 2}) == (
        "市町村: 海南市\n間隔（か月）: 2か月ごと"
    )
    assert value_text("visit", "scheme", "management_finance") == "経営・財務マネジメント強化事業"
    assert value_text("visit", "status", "cancelled") == "中止"

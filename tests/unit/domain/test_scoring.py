import pytest

from dxdesk.domain.catalog import Catalog, load_catalog
from dxdesk.domain.errors import ScoreOutOfScale
from dxdesk.domain.scoring import item_ratios, ratio_changes, summarize


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog("2024")


def test_summary_of_a_partly_answered_assessment(catalog: Catalog) -> None:
    summary = summarize(catalog, {"0-1": 3, "0-3": 1, "1-1": 2, "D1": 3, "D2": 0, "5-7": None})
    assert (summary.total, summary.maximum, summary.answered, summary.item_count) == (9, 78, 5, 26)
    assert summary.ratio == pytest.approx(9 / 78)
    assert len(summary.missing) == 21
    assert summary.missing[:3] == ("2-1", "2-3", "3-1")
    assert "5-7" in summary.missing

    by_id = {c.category_id: c for c in summary.categories}
    assert list(by_id) == ["0", "1", "2", "3", "5", "D"]
    awareness = by_id["0"]
    assert (awareness.total, awareness.maximum, awareness.answered, awareness.item_count) == (
        4,
        6,
        2,
        2,
    )
    assert awareness.ratio == pytest.approx(4 / 6)
    # Unanswered items count as 0 but stay in the maximum.
    prefecture = by_id["D"]
    assert (prefecture.total, prefecture.maximum, prefecture.answered) == (3, 24, 2)
    assert prefecture.ratio == pytest.approx(0.125)
    assert by_id["3"].maximum == 33
    assert by_id["3"].ratio == 0.0


def test_full_marks(catalog: Catalog) -> None:
    summary = summarize(catalog, {i.code: i.scale.maximum for i in catalog.items})
    assert summary.total == 78
    assert summary.ratio == 1.0
    assert summary.missing == ()
    assert all(c.ratio == 1.0 for c in summary.categories)


def test_summary_validates(catalog: Catalog) -> None:
    with pytest.raises(ScoreOutOfScale):
        summarize(catalog, {"D3": 1})


def test_item_ratios_leave_out_municipalities_that_did_not_answer(catalog: Catalog) -> None:
    ratios = item_ratios(
        catalog,
        [
            {"0-1": 3, "D1": 3, "3-3": 2},
            {"0-1": 1, "D1": 0},
            {"3-3": 2},
            {},
        ],
    )
    assert list(ratios) == list(catalog.codes)
    assert ratios["0-1"] == pytest.approx(4 / 6)
    assert ratios["D1"] == pytest.approx(3 / 6)
    assert ratios["3-3"] == pytest.approx(4 / 6)
    assert ratios["D8"] is None


def test_item_ratios_of_nobody(catalog: Catalog) -> None:
    assert set(item_ratios(catalog, []).values()) == {None}


def test_item_ratios_validate_each_set(catalog: Catalog) -> None:
    with pytest.raises(ScoreOutOfScale):
        item_ratios(catalog, [{"D1": 3}, {"D1": 1}])


def test_ratio_changes() -> None:
    before = {"0-3": 0.25, "D2": 0.5, "3-3": None, "1-1": 0.4}
    after = {"0-3": 0.75, "D2": 0.5, "3-3": 0.6, "3-14": 0.1}
    changes = ratio_changes(before, after)
    assert list(changes) == ["0-3", "D2", "3-3", "1-1", "3-14"]
    assert changes["0-3"] == pytest.approx(0.5)
    assert changes["D2"] == 0.0
    assert changes["3-3"] is None
    assert changes["1-1"] is None
    assert changes["3-14"] is None

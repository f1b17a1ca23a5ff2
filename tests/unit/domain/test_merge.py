from hypothesis import given
from hypothesis import strategies as st

from dxdesk.domain.merge import Outcome, merge_field, merge_text
from dxdesk.domain.records import FieldType

BASE = "一段落目。\n\n二段落目。\n\n三段落目。\n"


def test_only_one_side_changed_takes_that_side() -> None:
    assert merge_field(FieldType.TEXT, base="a", theirs="a", mine="b").outcome is Outcome.TAKE_MINE
    kept = merge_field(FieldType.TEXT, base="a", theirs="c", mine="a")
    assert (kept.outcome, kept.value) == (Outcome.KEEP_THEIRS, "c")


def test_both_to_the_same_value_is_no_conflict() -> None:
    assert merge_field(FieldType.TEXT, base="a", theirs="b", mine="b").outcome is Outcome.UNCHANGED


def test_short_text_changed_on_both_sides_conflicts_keeping_theirs() -> None:
    result = merge_field(FieldType.TEXT, base="a", theirs="b", mine="c")
    assert result.conflict and result.value == "b"


def test_long_text_edits_in_different_paragraphs_merge() -> None:
    theirs = BASE.replace("一段落目", "最初の段落")
    mine = BASE.replace("三段落目", "最後の段落")
    result = merge_field(FieldType.LONG_TEXT, base=BASE, theirs=theirs, mine=mine)
    assert result.outcome is Outcome.MERGED
    assert result.value == "最初の段落。\n\n二段落目。\n\n最後の段落。\n"


def test_long_text_edits_of_the_same_paragraph_conflict() -> None:
    theirs = BASE.replace("二段落目", "二（先方）")
    mine = BASE.replace("二段落目", "二（当方）")
    assert merge_field(FieldType.LONG_TEXT, base=BASE, theirs=theirs, mine=mine).conflict


def test_lists_and_scores_are_compared_whole() -> None:
    assert merge_field(FieldType.STR_LIST, base=["a"], theirs=["a", "b"], mine=["a", "c"]).conflict
    assert merge_field(FieldType.SCORES, base=None, theirs=3, mine=2).conflict
    assert merge_field(FieldType.SCORES, base=None, theirs=None, mine=2).value == 2


@given(st.lists(st.sampled_from(["あ\n", "い\n", "う\n", "\n"]), max_size=8))
def test_text_merge_with_one_side_unchanged_gives_the_other(lines: list[str]) -> None:
    text = "".join(lines)
    assert merge_text("", "", text) == text
    assert merge_text(text, text, "") == ""

from dxdesk.domain.text import normalize_digits


def test_full_width_digits_and_letters_become_ascii() -> None:
    assert normalize_digits("３０２０１５") == "302015"
    assert normalize_digits("Ｒ７（２０２５）") == "R7(2025)"


def test_surrounding_whitespace_including_ideographic_space_is_removed() -> None:
    assert normalize_digits("\u3000 有田市\t\u3000") == "有田市"


def test_inner_text_is_kept() -> None:
    assert normalize_digits("和歌山県 有田市") == "和歌山県 有田市"

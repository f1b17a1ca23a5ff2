"""Normalising what people type or what spreadsheets contain before it is parsed."""

import unicodedata


def normalize_digits(text: str) -> str:
    """Fold full-width digits, letters and punctuation to ASCII and trim surrounding space.

    Survey answers arrive from Japanese IMEs as "３０２０１５" or "Ｒ７"; NFKC makes them
    comparable with what the catalog and roster hold. Full-width spaces fold to ASCII spaces
    first, so ``strip`` removes them too.
    """
    return unicodedata.normalize("NFKC", text).strip()

"""Errors raised for bad input or bad data files.

Every message is one line of Japanese that says what is wrong and what was expected, because
the CLI prints ``str(error)`` as is and the UI shows it in a dialog.
"""

from collections.abc import Mapping


class FieldRefusal(Exception):
    """An error that can name the record fields at fault (the domain's and the store's).

    ``refused`` names the record fields at fault, each with the reason in words that do not name
    the field, and ``labels`` their labels: a window shows 「判断理由: …」, never an internal name
    (the message itself is for the CLI, where people type the names).
    """

    def __init__(
        self,
        message: str = "",
        *,
        refused: Mapping[str, str] | None = None,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.refused: dict[str, str] = dict(refused or {})
        self.labels: dict[str, str] = dict(labels or {})


class DomainError(FieldRefusal, ValueError):
    """Base of every bad-input error the domain raises."""


class InvalidMunicipalityCode(DomainError):
    pass


class UnknownItem(DomainError):
    pass


class UnknownCategory(DomainError):
    pass


class ScoreOutOfScale(DomainError):
    pass


class InvalidFiscalYear(DomainError):
    pass


class CatalogError(DomainError):
    """A bundled data file (roster, catalog, level rule) is malformed or missing."""

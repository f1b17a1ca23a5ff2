"""Errors raised for bad input or bad data files.

Every message is one line of Japanese that says what is wrong and what was expected, because
the CLI prints ``str(error)`` as is and the UI shows it in a dialog.
"""


class DomainError(ValueError):
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

"""What a person reads when something fails: each refused field by its label, with the reason;
the app's own errors as they say themselves; a file error with its file; anything else named.

One helper for every place a window shows an error (``error_text``): the messages of
``DomainError`` and ``InvalidRecord`` are written for the CLI, where people type the internal
field names, so a refusal that names its fields is shown by their labels instead.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication
from sqlalchemy.exc import OperationalError

from dxdesk.domain.errors import DomainError, FieldRefusal
from dxdesk.models.store import StoreError
from dxdesk.sync.api_client import SyncError
from dxdesk.ui.format import vocabulary_text

log = logging.getLogger(__name__)

# SQLite's own words for a database someone else is writing, and for one that cannot be written.
BUSY_WORDS = ("database is locked", "database table is locked")
UNWRITABLE_WORDS = ("readonly database", "disk is full", "disk i/o error")


def refusal_text(error: BaseException) -> str:
    """「題名: 必須です」 for an error that names its fields (domain ``refused``), else as is."""
    refused: dict[str, str] = getattr(error, "refused", None) or {}
    if not refused:
        return str(error)
    labels: dict[str, str] = getattr(error, "labels", None) or {}
    line = QCoreApplication.translate("Refusal", "{label}: {reason}")
    return "\n".join(
        line.format(label=vocabulary_text(labels.get(name, name)), reason=reason)
        for name, reason in refused.items()
    )


def error_text(error: BaseException) -> str:
    """The message for a person: refused fields by label, the app's errors as they are written
    (in Japanese, for the person), a file error with its reason and file, else the error's kind
    (logged, since nobody wrote words for it)."""
    if isinstance(error, FieldRefusal) and error.refused:
        return refusal_text(error)
    if isinstance(error, SyncError | StoreError | DomainError):
        return str(error)
    if isinstance(error, OperationalError):
        database = database_text(error)
        if database:
            return database
    if isinstance(error, OSError):
        reason = error.strerror or str(error)  # (strerror is None unless errno is set)
        if error.filename:
            return QCoreApplication.translate(
                "Refusal", "ファイル {path} を読み書きできません（{reason}）"
            ).format(path=error.filename, reason=reason)
        return QCoreApplication.translate(
            "Refusal", "ファイルを読み書きできません（{reason}）"
        ).format(reason=reason)
    log.error("unexpected error", exc_info=error)
    return QCoreApplication.translate("Refusal", "予期しないエラーです（{error}）").format(
        error=type(error).__name__
    )


def database_text(error: OperationalError) -> str:
    """What to do about a database that would not take a write: wait for whoever holds it (a
    command-line import, a backup), or free space / fix the permissions; "" when it is neither."""
    words = str(error.orig or error).lower()
    if any(w in words for w in BUSY_WORDS):
        return QCoreApplication.translate(
            "Refusal",
            "ほかの処理がデータベースを使っています。しばらくしてからもう一度お試しください",
        )
    if any(w in words for w in UNWRITABLE_WORDS):
        return QCoreApplication.translate(
            "Refusal", "データベースに書き込めません（権限や空き容量を確認してください）"
        )
    return ""

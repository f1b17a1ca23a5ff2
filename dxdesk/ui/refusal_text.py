"""What a person reads when the rules refuse an input: each field by its label, with the reason."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from dxdesk.ui.format import vocabulary_text


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

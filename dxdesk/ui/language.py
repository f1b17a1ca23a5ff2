"""The UI's language: Japanese (the source language of every string) or English.

The choice is ``--lang`` on the command line, else the ``ui/language`` setting in the data
folder's ui.ini, else Japanese. English loads ``resources/translations/dxdesk_en.qm``, built
from the .ts file by ``scripts/update_translations``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QSettings, QTranslator

from dxdesk.resources import resource_path

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
LANGUAGE_SETTING = "ui/language"
# Shown in the language menu in their own language, whichever one the UI is in.
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}


def translation_file(language: str) -> Path:
    return resource_path("translations", f"dxdesk_{language}.qm")


def language_setting(settings: QSettings) -> str:
    value = settings.value(LANGUAGE_SETTING)
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def choose_language(settings_file: Path, requested: str | None) -> str:
    """``requested`` (from ``--lang``) wins; else the stored setting; else Japanese."""
    if requested is not None:
        if requested not in LANGUAGES:
            raise ValueError(f"unknown language {requested!r} (choose from {LANGUAGES})")
        return requested
    return language_setting(QSettings(str(settings_file), QSettings.Format.IniFormat))


def remember_language(settings_file: Path, language: str) -> None:
    """Store ``--lang`` as the setting, so the next start without it keeps the language."""
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    settings.setValue(LANGUAGE_SETTING, language)
    settings.sync()


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the app's translation (none for Japanese, the source) and Qt's own.

    Qt's qtbase translation names the standard buttons (Yes/No/Cancel in a QMessageBox) in the
    chosen language. The translators are parented to ``app`` so they live as long as it does.
    """
    installed: list[QTranslator] = []
    qt_file = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)) / (
        f"qtbase_{language}.qm"
    )
    qt_translator = QTranslator(app)
    if qt_file.is_file() and qt_translator.load(str(qt_file)):
        app.installTranslator(qt_translator)
        installed.append(qt_translator)
    if language != DEFAULT_LANGUAGE:
        path = translation_file(language)
        translator = QTranslator(app)
        if not translator.load(str(path)):
            raise FileNotFoundError(f"cannot load the {language} translation {path}")
        app.installTranslator(translator)
        installed.append(translator)
    return installed

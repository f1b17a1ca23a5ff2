"""The UI's language: Japanese (the source language of every string) or English.

The choice is ``--lang`` on the command line, else the ``ui/language`` setting in the data
folder's ui.ini, else Japanese. English loads ``resources/translations/dxdesk_en.qm``, built
from the .ts file by ``scripts/update_translations``.
"""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from dxdesk.resources import resource_path

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"
LANGUAGE_SETTING = "ui/language"
# Shown in the language menu in their own language, whichever one the UI is in.
LANGUAGE_NAMES = {"ja": "日本語", "en": "English"}
# The locale Qt's own widgets write in (a date field's calendar, the file dialog's dates), so they
# follow the UI language and not the system's locale (C or en_US on many shared machines).
LOCALES = {"ja": QLocale(QLocale.Language.Japanese, QLocale.Country.Japan), "en": QLocale("en_US")}


def translation_file(language: str) -> Path:
    return resource_path("translations", f"dxdesk_{language}.qm")


def qt_translation_files(language: str) -> list[Path]:
    """Qt's own translation of its dialogs, then what the app adds where Qt's has gaps."""
    name = f"qtbase_{language}.qm"
    # Where Qt says, else where the PySide6 wheel (and so the bundle, build.spec) keeps them:
    # PySide6/Qt/translations, or PySide6/translations on Windows.
    package = Path(PySide6.__file__).parent
    folders = [
        Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        package / "Qt" / "translations",
        package / "translations",
    ]
    qt_file = next((f / name for f in folders if (f / name).is_file()), folders[0] / name)
    supplement = resource_path("qt_translations", f"qtbase_supplement_{language}.qm")
    return [qt_file, *([supplement] if supplement.is_file() else [])]


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
    """Install the app's translation (none for Japanese, the source) and Qt's own, and make the
    language's locale the default one.

    Qt's qtbase translation names the standard buttons (Yes/No/Cancel in a QMessageBox) and the
    file dialog in the chosen language; resources/qt_translations fills what it lacks. The
    translators are parented to ``app`` so they live as long as it does.
    """
    QLocale.setDefault(LOCALES[language])
    installed: list[QTranslator] = []
    for qt_file in qt_translation_files(language):
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

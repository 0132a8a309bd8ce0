"""Resource files (icons, samples, qss) from source and from a PyInstaller bundle, through one helper.

Qt-free at import: `qt_translations_dir` imports QtCore only when called (the CLI's selftest uses it too).
"""

from __future__ import annotations

import sys
from pathlib import Path

QT_TRANSLATION = "qtbase_zh_CN"  # Qt's own texts (standard dialogs, context menus) in Chinese
APP_ICON = ("icons", "wxconsole.png")


def resource_root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def qt_translations_dir() -> Path:
    """Where `qtbase_zh_CN.qm` lives: Qt's TranslationsPath (the PySide6 wheel; in a PyInstaller bundle the PySide6
    package sets Qt's prefix to `_internal/PySide6/Qt`), else the bundle's copy found directly."""
    from PySide6.QtCore import QLibraryInfo

    reported = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    if (reported / f"{QT_TRANSLATION}.qm").is_file():
        return reported
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        for candidate in (Path(bundle) / "PySide6" / "Qt" / "translations", Path(bundle) / "PySide6" / "translations"):
            if (candidate / f"{QT_TRANSLATION}.qm").is_file():
                return candidate
    return reported

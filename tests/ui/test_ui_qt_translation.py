"""Issue 13 (smaller): Qt's own file dialog is in Chinese. qtbase_zh_CN (from Qt's TranslationsPath, bundled by
build.spec) translates most of it; a fallback translator fills the texts that catalogue leaves in English."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

ENGLISH = re.compile(r"[A-Za-z]{3,}")


def test_the_file_dialog_has_no_english_label(qapp, qtbot, tmp_path) -> None:
    from console.ui.main import make_app

    make_app()
    assert qapp.property("wx_translator_loaded")
    dialog = QFileDialog(None, "导入名单", str(tmp_path), "表格 (*.csv *.xlsx)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)  # Qt's own dialog, as on Linux and in tests
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [w.text() for w in dialog.findChildren(QLabel) if w.isVisible() and w.text()]
    texts += [w.text() for w in dialog.findChildren(QAbstractButton) if w.isVisible() and w.text()]
    texts += [w.toolTip() for w in dialog.findChildren(QAbstractButton) if w.toolTip()]
    assert len(texts) >= 5
    english = [t for t in texts if ENGLISH.search(t.replace("&", ""))]
    assert not english, english


def test_the_file_types_column_is_chinese_and_qt_still_answers_the_rest(qapp) -> None:
    from console.ui.main import make_app

    make_app()
    assert QCoreApplication.translate("QAbstractFileIconProvider", "Folder", "All other platforms") == "文件夹"
    assert QCoreApplication.translate("QFileDialog", "File &name:") == "文件名称(&N)："  # qtbase_zh_CN's
    assert QCoreApplication.translate("QFileDialog", "Back") == "后退"

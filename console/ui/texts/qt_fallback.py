"""Chinese for the few texts of Qt's own dialogs that Qt's qtbase_zh_CN catalogue leaves in English (seen in the
file dialog on Linux, issue 13): (Qt context, Qt source text) -> text. Found by asking the catalogue for every text
the file dialog requests; the rest of the dialog is translated by qtbase_zh_CN."""

from __future__ import annotations

QT_FALLBACK: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QFileDialog", "Computer"): "计算机",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "File Folder"): "文件夹",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
    ("QAbstractFileIconProvider", "Shortcut"): "快捷方式",
    ("QAbstractFileIconProvider", "Alias"): "替身",
}

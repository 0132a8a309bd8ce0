"""The GUI when the data folder cannot be used (issue 17, item 8): one Chinese dialog naming the path and the next
step, exit code 10 as the CLI's, no traceback; and its log, like the CLI's, is owner-only and never raises."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any

import pytest


def test_a_data_folder_that_cannot_be_created_is_one_dialog_and_exit_10(tmp_path: Path, qapp: Any,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    from console.ui import texts
    from console.ui.main import run_gui

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder's parent should be", encoding="utf-8")
    shown: list[tuple[str, str]] = []

    def exec_(box: QMessageBox) -> int:  # a modal dialog would wait for a click: record what it says instead
        shown.append((box.windowTitle(), box.text()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    assert run_gui(["--home", str(blocker / "home")]) == 10
    (title, body), = shown
    assert title == texts.STORAGE_TITLE
    assert str(blocker) in body and "重新打开" in body and "Traceback" not in body


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="POSIX file modes and /dev/full")
def test_the_gui_log_is_owner_only_and_a_full_disk_never_raises(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from console.ui.main import GUI_LOG_NAME, install_file_logging

    root = logging.getLogger()
    before = list(root.handlers)
    try:
        assert install_file_logging(tmp_path)
        log = tmp_path / "logs" / GUI_LOG_NAME
        logging.getLogger("console.test").warning("a line")
        assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(log.parent).st_mode) == 0o700
        handler = next(h for h in root.handlers if h not in before)
        handler.stream = open("/dev/full", "w")  # noqa: SIM115 - every write fails with ENOSPC
        capsys.readouterr()
        logging.getLogger("console.test").warning("this cannot be written: disk full")  # must not raise or print
        assert "Logging error" not in capsys.readouterr().err
    finally:
        for h in [h for h in root.handlers if h not in before]:
            root.removeHandler(h)
            h.close()


def test_a_full_disk_in_a_task_is_a_storage_dialog_naming_the_journal(controller, tmp_path: Path) -> None:
    """A SQLite error from the journal in any task (the disk filled up during a send, the file became read-only) is
    the storage problem in Chinese with its next step — not 程序遇到意外问题 with a log to send to someone."""
    from console.ui import texts
    from tests.fixtures.sqlite_errors import disk_full_error

    full = disk_full_error(tmp_path)
    shown: list[tuple[str, str]] = []
    controller.error.connect(lambda title, body: shown.append((title, body)))
    controller.task_failed(full)
    (title, body), = shown
    assert title == texts.STORAGE_TITLE
    assert str(controller.services.journal_path) in body and "磁盘空间已满" in body and "释放磁盘空间" in body


def test_an_unexpected_error_never_claims_a_log_that_could_not_be_written(controller) -> None:
    from console.ui import texts

    logs = controller.data_dir / "logs"
    if logs.exists():
        import shutil

        shutil.rmtree(logs)
    logs.parent.mkdir(parents=True, exist_ok=True)
    logs.write_text("a file where the logs folder should be", encoding="utf-8")
    shown: list[tuple[str, str]] = []
    controller.error.connect(lambda title, body: shown.append((title, body)))
    controller.task_failed(RuntimeError("boom"))
    (title, body), = shown
    assert title == texts.UNEXPECTED_TITLE
    assert "日志文件也没能写入" in body and "详细信息已写入日志" not in body

"""The "import a recipient list" use case the shells call (issue 15)."""

from __future__ import annotations

import os
from pathlib import Path

from console.core.messages import recipients as msg
from console.core.recipients import ImportOptions
from console.usecases.importing import file_problem, import_recipient_bytes, import_recipient_list


def test_a_file_and_the_same_bytes_give_the_same_report(tmp_path: Path) -> None:
    text = "openid,姓名\n" + "".join(f"oTest{i:023d},王{i}\n" for i in range(5)) + "oTest00000000000000000000001,重复\n"
    path = tmp_path / "名单.csv"
    path.write_text(text, encoding="gb18030")
    from_file = import_recipient_list(path, ImportOptions())
    from_bytes = import_recipient_bytes(path.read_bytes(), "名单.csv", ImportOptions())
    assert from_file.valid == from_bytes.valid == 5 and from_file.encoding == from_bytes.encoding == "gb18030"
    assert from_file.recipients == from_bytes.recipients and from_file.duplicates == from_bytes.duplicates
    assert from_file.source_sha256 == from_bytes.source_sha256 and from_file.duplicates[0].row == 7


def test_a_folder_or_a_pipe_is_refused_before_it_is_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    assert file_problem(fifo) == msg.NOT_REGULAR_FILE and file_problem(tmp_path) == msg.IS_DIRECTORY
    report = import_recipient_list(fifo, ImportOptions())
    assert report.failed and report.errors[0].reason == msg.NOT_REGULAR_FILE

"""Privacy of the data folder (issue 17, item 10): openids, names and phone numbers are readable by their user only.

POSIX modes after real commands: folders we create 0700, the journal with its -wal/-shm, the log, the locks and an
export 0600 — also when an older version left them 0755/0644. A folder the user chose with --home keeps its own mode
(it may be shared on purpose); the default data folder (here: a portable install's) is ours and is tightened."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from console.core import paths
from tests.cli.envhelpers import BOOKING_ARGS, write_recipients, wxconsole


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_data_folder_and_everything_in_it_is_owner_only(tmp_path: Path) -> None:
    home = tmp_path / "home"
    recipients = write_recipients(tmp_path / "r.csv", 3)
    sent = wxconsole(home, "--sandbox", "send", *BOOKING_ARGS, "--recipients", str(recipients), "--yes", "--json")
    assert sent.code == 0, sent.err
    report = tmp_path / "report.csv"
    assert wxconsole(home, "--sandbox", "export", "1", str(report)).code == 0
    modes = {p.relative_to(tmp_path).as_posix(): _mode(p) for p in [home, *home.rglob("*"), report]}
    assert modes == {
        "home": 0o700,
        "home/logs": 0o700,
        "home/logs/wxconsole.log": 0o600,
        "home/sandbox-journal.sqlite3": 0o600,
        "home/sandbox-journal.sqlite3.locks": 0o700,
        "home/sandbox-journal.sqlite3.locks/job-1.lock": 0o600,
        "report.csv": 0o600,
    }


def test_files_an_older_version_left_readable_are_tightened(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert wxconsole(home, "jobs", "--json").code == 0
    journal = home / "journal.sqlite3"
    for path, mode in [(home, 0o755), (home / "logs", 0o755), (home / "logs" / "wxconsole.log", 0o644),
                       (home / "journal.sqlite3.locks", 0o755), (journal, 0o644)]:
        path.chmod(mode)
    reader = sqlite3.connect(journal)  # another window has the journal open: its -wal and -shm exist
    try:
        reader.execute("SELECT count(*) FROM jobs").fetchone()
        sidecars = [home / "journal.sqlite3-wal", home / "journal.sqlite3-shm"]
        for path in sidecars:
            path.chmod(0o644)
        assert wxconsole(home, "jobs", "--json").code == 0
        assert [_mode(p) for p in sidecars] == [0o600, 0o600]
    finally:
        reader.close()
    assert _mode(journal) == 0o600
    assert _mode(home / "logs") == 0o700 and _mode(home / "logs" / "wxconsole.log") == 0o600
    assert _mode(home / "journal.sqlite3.locks") == 0o700
    assert _mode(home) == 0o755  # chosen with --home: the user's folder keeps its mode


def test_the_default_data_folder_is_ours_and_tightened(tmp_path: Path) -> None:
    exe = tmp_path / "app" / "wxconsole.exe"
    exe.parent.mkdir()
    (exe.parent / paths.PORTABLE_FLAG).touch()
    data = exe.parent / paths.PORTABLE_DATA
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    assert paths.data_dir(None, environ={}, frozen=True, executable=str(exe)) == data
    assert _mode(data) == 0o700

"""One ladder from an exception to a person's message (console.usecases.errors.describe_error): the GUI's dialog and the
CLI's line say the same thing about the same exception, each in its own wording."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from console.cli.output import EXIT_API, EXIT_CONFIG, EXIT_STORAGE, Output, report_failure
from console.core.journal.runlock import JobBusyError
from console.core.secrets import SecretMissingError
from console.core.settings import SettingsError
from console.core.wechat.errors import ApiError, TransientError
from console.ui import texts
from console.ui.errors import friendly_error
from console.usecases.errors import ConfigError, ErrorKind, describe_error

ENOSPC = OSError(errno.ENOSPC, "No space left on device", "/data/wxconsole/journal.sqlite3")


@pytest.mark.parametrize(("exc", "kind"), [
    (ApiError(40001, "invalid credential", "/cgi-bin/stable_token"), ErrorKind.API),
    (TransientError("timed out", endpoint="/cgi-bin/message/subscribe/send"), ErrorKind.TRANSIENT),
    (JobBusyError("job 3 is being sent"), ErrorKind.JOB_BUSY),
    (ENOSPC, ErrorKind.STORAGE),
    (SettingsError("settings.json is damaged"), ErrorKind.SETTINGS),
    (ConfigError("no appid"), ErrorKind.CONFIG),
])
def test_gui_and_cli_describe_the_same_exception_alike(exc: BaseException, kind: ErrorKind, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    d = describe_error(exc, home=tmp_path)
    assert d.kind is kind and d.detail
    _, gui_text = friendly_error(exc, home=tmp_path)
    report_failure(exc, Output(json_mode=False, home=str(tmp_path)))
    cli_line = capsys.readouterr().err
    assert d.detail in gui_text and d.detail in cli_line


def test_a_missing_secret_names_the_appid_with_each_front_ends_next_step(capsys: pytest.CaptureFixture[str]) -> None:
    exc = SecretMissingError("wx0000000000000000")
    assert describe_error(exc).kind is ErrorKind.SECRET_MISSING and describe_error(exc).appid == "wx0000000000000000"
    assert report_failure(exc, Output(json_mode=False)) == EXIT_CONFIG
    assert "wx0000000000000000" in capsys.readouterr().err and "wx0000000000000000" in friendly_error(exc)[1]


def test_token_call_uses_the_token_wording_in_both_front_ends(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    """40001 on a token call means a wrong AppSecret; on a send it means an expired access_token."""
    on_token = describe_error(ApiError(40001, "invalid credential", "/cgi-bin/stable_token"))
    on_send = describe_error(ApiError(40001, "invalid credential", "/cgi-bin/message/subscribe/send"))
    assert on_token.detail != on_send.detail
    assert report_failure(ApiError(40001, "x", "/cgi-bin/token"), Output(json_mode=False)) == EXIT_API
    assert on_token.detail in capsys.readouterr().err
    assert friendly_error(ApiError(40001, "x", "/cgi-bin/token"))[1] == on_token.detail


def test_a_full_disk_is_a_storage_problem_in_the_gui_too(tmp_path: Path) -> None:
    """Before the shared ladder only the CLI recognised an OSError such as ENOSPC; the GUI called it a bug."""
    title, text = friendly_error(ENOSPC, home=tmp_path)
    assert title == texts.STORAGE_TITLE and "/data/wxconsole" in text


def test_cli_exit_codes_per_kind(tmp_path: Path) -> None:
    out = Output(json_mode=True, home=str(tmp_path))
    assert report_failure(ENOSPC, out) == EXIT_STORAGE
    assert report_failure(SettingsError("settings.json is damaged"), out) == EXIT_CONFIG

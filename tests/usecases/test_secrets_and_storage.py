"""Which secret store each front end uses (console.usecases.secrets), and the journal's storage problems as the CLI
names them (console.usecases.errors.journal_storage_error)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from console.core.journal import JournalStorageError
from console.core.secrets import MemorySecretStore
from console.core.storage import StorageProblem
from console.usecases.errors import journal_storage_error
from console.usecases.secrets import cli_secret_store, secret_in_environment, window_secret_store

APPID = "wx1234567890abcdef"


def test_without_a_secure_keyring_the_window_keeps_secrets_in_memory_only() -> None:
    keyring.set_keyring(fail.Keyring())  # the autouse fixture restores the previous backend
    store, persistent = window_secret_store()
    assert isinstance(store, MemorySecretStore) and not persistent


def test_the_cli_reads_the_environment_first(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(fail.Keyring())
    assert not secret_in_environment(APPID)
    monkeypatch.setenv(f"WXCONSOLE_APPSECRET_{APPID}", "s" * 32)
    assert secret_in_environment(APPID)
    assert cli_secret_store().get(APPID) == "s" * 32


def test_the_generic_variable_is_only_the_commands_own_account(monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(fail.Keyring())
    monkeypatch.setenv("WXCONSOLE_APPSECRET", "g" * 32)
    assert cli_secret_store().get(APPID) == "g" * 32
    assert cli_secret_store(generic_env=False).get(APPID) is None


def test_a_full_disk_is_a_journal_storage_problem_and_an_sql_bug_is_not(tmp_path: Path) -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # SQLITE_FULL (https://www.sqlite.org/rescode.html)
    problem = journal_storage_error(full, tmp_path / "journal.sqlite3")
    assert isinstance(problem, JournalStorageError) and problem.problem == StorageProblem.DISK_FULL
    bug = sqlite3.OperationalError("no such column: nope")
    bug.sqlite_errorcode = 1  # SQLITE_ERROR
    assert journal_storage_error(bug, tmp_path / "journal.sqlite3") is None

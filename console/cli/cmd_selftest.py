"""`wxconsole selftest`: does this installation work? Runs from source and from the PyInstaller bundle.

Checks, each independent (one failing does not stop the others): the keyring backend (name, secure or not), the send
journal (create, write a job, read it back, delete — in a temporary data dir, the real journal is never touched), Qt's
`qtbase_zh_CN` translations (Qt is imported inside that check only: this module stays Qt-free), the bundled resources
(sample CSV, icon), and a round trip against the in-process simulator (token, template list, one subscribe message
to the operator). Text mode prints one Chinese ✓/✗ line per check; `--json` prints
`{"ok": bool, "checks": [{"name", "ok", "detail"}], "keyring": {"backend", "secure"}}`. Exit 1 on any failure.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import sqlite3
import sys
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from console.cli.output import Output
from console.core.messages import selftest as msg

EXIT_SELFTEST_FAILED = 1
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SAMPLE_CSV = ("samples", "recipients-demo.csv")
# The keyring backend each platform's bundle must carry (keyring's PyInstaller hook collects them).
EXPECTED_KEYRING_BACKENDS = {"win32": "keyring.backends.Windows", "darwin": "keyring.backends.macOS"}
DEFAULT_KEYRING_BACKEND = "keyring.backends.SecretService"


@dataclass(slots=True)
class Check:
    name: str
    ok: bool
    detail: str


class CheckFailed(Exception):
    """A check found a problem; the message is the Chinese detail."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("selftest", help=msg.HELP_SELFTEST, parents=[common])
    p.set_defaults(handler=cmd_selftest)


# --- checks ------------------------------------------------------------------------------------------------------


def check_keyring(facts: dict[str, Any]) -> str:
    from console.usecases.secrets import keyring_store

    store = keyring_store()
    backend, secure = store.backend_name(), store.is_secure()
    facts.update(backend=backend, secure=secure)
    if secure:
        return msg.KEYRING_SECURE.format(backend=backend)
    expected = EXPECTED_KEYRING_BACKENDS.get(sys.platform, DEFAULT_KEYRING_BACKEND)
    if importlib.util.find_spec(expected) is None:
        raise CheckFailed(msg.KEYRING_BACKEND_MISSING.format(backend=backend, expected=expected))
    # No keyring service on this machine (e.g. no D-Bus session): the installation itself is fine.
    return msg.KEYRING_INSECURE.format(backend=backend, expected=expected.rsplit(".", 1)[-1])


def check_journal() -> str:
    from console.usecases.journal_check import journal_roundtrip

    check = journal_roundtrip()
    if check.mismatches:
        raise CheckFailed(msg.JOURNAL_MISMATCH.format(what=", ".join(check.mismatches)))
    return msg.JOURNAL_OK.format(version=sqlite3.sqlite_version, items=check.items)


def check_translations() -> str:
    from PySide6.QtCore import QTranslator  # Qt only here: the CLI stays Qt-free otherwise

    from console.ui.resources import QT_TRANSLATION, qt_translations_dir

    where = qt_translations_dir()
    translator = QTranslator()
    if not translator.load(QT_TRANSLATION, str(where)) or translator.isEmpty():
        raise CheckFailed(msg.TRANSLATIONS_MISSING.format(name=QT_TRANSLATION, path=where))
    return msg.TRANSLATIONS_OK.format(name=f"{QT_TRANSLATION}.qm", path=where)


def check_resources() -> str:
    from console.core.recipients import ImportOptions
    from console.ui.resources import APP_ICON, resource_path  # the one helper, Qt-free
    from console.usecases.importing import import_recipient_list

    sample, icon = resource_path(*SAMPLE_CSV), resource_path(*APP_ICON)
    for path in (sample, icon):
        if not path.is_file():
            raise CheckFailed(msg.RESOURCE_MISSING.format(path=path))
    with icon.open("rb") as fh:
        if fh.read(len(PNG_SIGNATURE)) != PNG_SIGNATURE:
            raise CheckFailed(msg.RESOURCE_BAD_ICON.format(path=icon))
    report = import_recipient_list(sample, ImportOptions())
    if report.failed or report.valid == 0:
        raise CheckFailed(msg.RESOURCE_BAD_SAMPLE.format(path=sample))
    return msg.RESOURCES_OK.format(csv=sample, rows=report.valid, icon=icon)


async def check_simulator() -> str:
    from console.app import sandbox_services
    from console.core.wechat.template_values import sample_data

    with tempfile.TemporaryDirectory(prefix="wxconsole-selftest-") as tmp:
        services = sandbox_services(Path(tmp))
        try:
            sim: Any = services.simulator
            mini = services.mini
            assert mini is not None
            await mini.tokens.token()
            templates = await mini.list_templates("subscribe")
            if not templates:
                raise CheckFailed(msg.SIMULATOR_NO_TEMPLATE)
            template = templates[0]
            operator = sim.operator_openid
            before = len(sim.messages)
            sent = await mini.send_subscribe(operator, template.template_id, sample_data(template))
            recorded = sim.messages[before:]
            if not any(m.get("touser") == operator and m.get("template_id") == template.template_id
                       for m in recorded):
                raise CheckFailed(msg.SIMULATOR_NOT_RECORDED)
        finally:
            await services.aclose()
    return msg.SIMULATOR_OK.format(templates=len(templates), openid=operator, title=template.title,
                                   msgid=sent.msgid)


# --- runner ------------------------------------------------------------------------------------------------------


async def _run_check(name: str, body: Callable[[], str | Awaitable[str]]) -> Check:
    try:
        result = body()
        detail = await result if not isinstance(result, str) else result
        return Check(name, True, detail)
    except CheckFailed as exc:
        return Check(name, False, str(exc))
    except Exception as exc:  # a broken install shows up as anything: report it as this check's failure
        return Check(name, False, msg.ERROR_DETAIL.format(kind=type(exc).__name__, message=exc))


async def run_checks() -> tuple[list[Check], dict[str, Any]]:
    keyring_facts: dict[str, Any] = {"backend": None, "secure": False}
    checks = [
        await _run_check("keyring", lambda: asyncio.to_thread(check_keyring, keyring_facts)),
        await _run_check("journal", lambda: asyncio.to_thread(check_journal)),
        await _run_check("translations", check_translations),
        await _run_check("resources", lambda: asyncio.to_thread(check_resources)),
        await _run_check("simulator", check_simulator),
    ]
    return checks, keyring_facts


async def cmd_selftest(args: argparse.Namespace, out: Output) -> int:
    checks, keyring_facts = await run_checks()
    failed = [c for c in checks if not c.ok]
    for c in checks:
        template = msg.CHECK_OK if c.ok else msg.CHECK_FAILED
        out.text(template.format(label=msg.LABELS.get(c.name, c.name), detail=c.detail))
    summary = (msg.SUMMARY_FAILED.format(failed=len(failed), count=len(checks)) if failed
               else msg.SUMMARY_OK.format(count=len(checks)))
    out.emit({"ok": not failed, "checks": [asdict(c) for c in checks], "keyring": keyring_facts}, summary)
    return EXIT_SELFTEST_FAILED if failed else 0

"""The shells (console/ui, console/cli) reach the core through the application layer (console/usecases), except for
plain data, exception types and catalogs — a static scan of every import statement (ast), so an import inside a
function counts too. docs/architecture.md explains the layers; its "Still to move" list is TODO below.

ALLOWED: what a shell may take from the core for good: it holds no rule a person could change twice.
TODO: what a shell still takes from the core although it is a rule or a service that belongs behind a use case. The
test fails when a shell imports anything in neither list, and when a TODO entry is no longer imported (then delete it:
the list only shrinks). What the scan cannot see: calls through the attributes of `Services` (`services.journal.…`,
`services.mini.…`) — see docs/architecture.md.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import console

ROOT = Path(console.__file__).resolve().parent
ANY = "*"

ALLOWED: dict[str, set[str]] = {
    # catalogs: the Chinese texts (rule 5 of the brief)
    "console.core.messages": {ANY},
    # plain data and the exception types a shell catches to word them
    "console.core.wechat.models": {ANY},
    "console.core.wechat.errors": {ANY},
    "console.core.wechat.errcodes": {ANY},  # WeChat's errcode table: a catalog
    "console.core.wechat.templates": {"TemplateField"},
    "console.core.wechat.template_values": {ANY},  # a template's example / sample values
    "console.core.wechat.payload": {"CONST_TYPE", "ENUM_TYPES"},
    "console.core.wechat.crypto": {"DecryptedData"},
    "console.core.wechat.tokens": {"TokenServiceError"},
    "console.core.settings": {ANY},  # the Settings / Account dataclasses, SettingsError, looks_like_openid
    "console.core.drafts": {ANY},  # the clerk's unsent draft (a dataclass and its 0600 file), kept like the settings
    "console.core.quiet_hours": {"QuietHours"},
    "console.core.clock": {"Clock", "SystemClock"},
    "console.core.storage": {"StorageError"},
    "console.core.journal": {"Item", "ItemState", "Job", "JobCounts", "JobSpec", "JobState", "NewItem",
                             "SuppressionEntry", "UnknownJobError", "JournalStorageError"},
    "console.core.journal.export": {"NAME_KEYS", "neutralise"},
    "console.core.journal.runlock": {"JobBusyError"},
    "console.core.journal.schedules": {"NotSchedulableError"},
    "console.core.journal.transitions": {"ABANDONABLE_STATES"},
    "console.core.engine": {"EngineEvent", "ItemDone", "JobStateChanged", "Progress"},  # progress events (data)
    "console.core.recipients": {"ImportOptions", "ImportReport", "Recipient", "RowError"},
    "console.core.preflight": {"Check", "PreflightReport"},
    "console.core.secrets": {"SecretMissingError", "SecretStore", "SecretStoreError"},
    # process bootstrap of each front end: the data folder, the log file, log redaction
    "console.core.paths": {ANY},
    "console.core.crashlog": {ANY},
    "console.core.logsafe": {ANY},
}

TODO: dict[str, set[str]] = {
    "console.core.journal": {"JournalRepo"},  # held as a handle; history and export go through usecases/history
}


def _core_imports() -> dict[tuple[str, str], set[str]]:
    """(core module, imported name) -> the shell files that import it; a plain `import m` has the name "<module>"."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for shell in ("ui", "cli"):
        for path in (ROOT / shell).rglob("*.py"):
            where = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.startswith("console.core"):
                            found[(alias.name, "<module>")].add(where)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module \
                        and (node.module == "console.core" or node.module.startswith("console.core.")):
                    for alias in node.names:
                        if node.module == "console.core":  # `from console.core import jobs`: the module itself
                            found[(f"console.core.{alias.name}", "<module>")].add(where)
                        else:
                            found[(node.module, alias.name)].add(where)
    return found


def _listed(table: dict[str, set[str]], module: str, name: str) -> bool:
    names = table.get(module)
    if names is None and module.startswith("console.core.messages"):
        names = table.get("console.core.messages")
    return names is not None and (ANY in names or name in names)


def test_shells_reach_the_core_only_through_usecases_or_plain_data() -> None:
    found = _core_imports()
    assert len(found) > 20
    offenders = sorted(f"{module}.{name} in {sorted(files)}" for (module, name), files in found.items()
                       if not _listed(ALLOWED, module, name) and not _listed(TODO, module, name))
    assert offenders == []


def test_the_todo_list_only_shrinks() -> None:
    """A TODO entry no shell imports any more is done: delete it here and in docs/architecture.md."""
    found = _core_imports()
    done = sorted(f"{module}.{name}" for module, names in TODO.items() for name in names
                  if (module, name) not in found)
    assert done == []


def test_shells_use_the_application_layer() -> None:
    """Both shells import the use cases (not a dead layer): every usecases module is imported by a shell or by
    another usecases module."""
    used: set[str] = set()
    for package in ("ui", "cli", "usecases"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("console.usecases."):
                    used.add(node.module)
    modules = {f"console.usecases.{p.stem}" for p in (ROOT / "usecases").glob("*.py") if p.stem != "__init__"}
    assert sorted(modules - used) == []

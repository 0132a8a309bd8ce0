"""The dependency rule of DESIGN.md, checked in fresh interpreters."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import console

ROOT = Path(console.__file__).resolve().parent
FORBIDDEN_GUI = ("PySide6", "qasync", "shiboken6", "console.ui")


def _modules(package: str) -> list[str]:
    pkg_path = ROOT.joinpath(*package.split(".")[1:])
    names = [package]
    for info in pkgutil.walk_packages([str(pkg_path)], prefix=package + "."):
        names.append(info.name)
    return names


def _loaded_after_import(modules: list[str]) -> set[str]:
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return set(json.loads(out))


def _offenders(loaded: set[str], prefixes: tuple[str, ...]) -> list[str]:
    return sorted(m for m in loaded if any(m == p or m.startswith(p + ".") for p in prefixes))


def test_core_cli_sim_load_no_gui() -> None:
    modules = [*_modules("console.core"), *_modules("console.usecases"), *_modules("console.cli"),
               *_modules("console.sim")]
    assert len(modules) > 5
    loaded = _loaded_after_import(modules)
    assert _offenders(loaded, FORBIDDEN_GUI) == []


def test_sim_is_independent_of_core() -> None:
    loaded = _loaded_after_import(_modules("console.sim"))
    assert _offenders(loaded, ("console.core", "console.cli", "console.app")) == []


def test_core_does_not_import_cli_or_app() -> None:
    loaded = _loaded_after_import(_modules("console.core"))
    assert _offenders(loaded, ("console.cli", "console.app", "console.sim", "console.ui", "console.usecases")) == []


def test_usecases_load_only_core() -> None:
    """The application layer sits between the shells and the core: it never loads a shell (ui, cli), the composition
    root, the simulator or Qt."""
    modules = _modules("console.usecases")
    assert len(modules) > 5
    loaded = _loaded_after_import(modules)
    assert _offenders(loaded, (*FORBIDDEN_GUI, "console.cli", "console.app", "console.sim")) == []

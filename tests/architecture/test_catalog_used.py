"""Every text in the catalogs (console/core/messages/*.py, console/ui/texts/*.py) is used by some module of the
application: a text nobody shows is wording reviewers read and translators translate for nothing, and it hides which
messages really reach the clerks.

"Used" means referenced from a module under console/ (tests do not count): `alias.NAME` where `alias` is bound to the
catalog module (`from console.ui.texts import send as txt`, `from console.ui import texts`, relative imports inside
the catalogs), `console.ui.texts.NAME` spelled out, `from <catalog> import NAME`, or NAME read by another text of the
same catalog. The check reads the source (AST), imports nothing."""

from __future__ import annotations

import ast
from pathlib import Path

import console

ROOT = Path(console.__file__).resolve().parent
CATALOG_DIRS = (ROOT / "core" / "messages", ROOT / "ui" / "texts")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _catalog_names(path: Path) -> dict[str, int]:
    """Top-level UPPER_CASE names assigned in a catalog module, with their line numbers."""
    names: dict[str, int] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Name) and target.id.isupper():
                names[target.id] = node.lineno
    return names


def _absolute(module: str, is_package: bool, name: str | None, level: int) -> str:
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[:-(level - 1)]
    return ".".join(base + ([name] if name else []))


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _references(catalogs: dict[str, dict[str, int]]) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {name: set() for name in catalogs}
    for path in ROOT.rglob("*.py"):
        module, is_package = _module_name(path), path.name == "__init__.py"
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases: dict[str, str] = {}  # local name -> catalog module
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _absolute(module, is_package, node.module, node.level)
                for alias in node.names:
                    if f"{source}.{alias.name}" in catalogs:
                        aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
                    elif source in catalogs:
                        used[source].add(alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in catalogs and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                owner = _dotted(node.value)
                target = aliases.get(owner or "", owner)
                if target in catalogs:
                    used[target].add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and module in catalogs:
                used[module].add(node.id)  # a text built from another text of its own catalog
    return used


def test_every_catalog_text_is_used() -> None:
    files = [p for d in CATALOG_DIRS for p in sorted(d.glob("*.py"))]
    catalogs = {_module_name(p): _catalog_names(p) for p in files}
    assert sum(len(names) for names in catalogs.values()) > 500  # the walk found the catalogs
    used = _references(catalogs)
    unused = [f"{path.relative_to(ROOT.parent)}:{line}: {name}"
              for path in files for name, line in catalogs[_module_name(path)].items()
              if name not in used[_module_name(path)]]
    assert unused == [], "catalog texts that no module uses (delete them, or use them):\n" + "\n".join(unused)

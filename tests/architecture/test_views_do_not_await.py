"""Rule 2 (one event loop): no async methods on QWidgets; controllers own the awaits. A widget's coroutine outlives
the widget when the window closes or the dialog is deleted mid-await, and then touches a deleted C++ object. The views
(console/ui/views) call synchronous controller commands and show what the controllers' signals carry.

Exempt: `screenshot_setup` (`--screenshot` only: it drives each page's controllers into the state a screenshot shows,
in a window that lives until the process exits; never in a clerk's session)."""

from __future__ import annotations

import ast
from pathlib import Path

VIEWS = Path(__file__).resolve().parents[2] / "console" / "ui" / "views"
EXEMPT = {"screenshot_setup"}


def _awaiting_views(root: Path = VIEWS) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for node in ast.walk(cls):
                if isinstance(node, ast.AsyncFunctionDef) and node.name not in EXEMPT:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {cls.name}.{node.name}")
    return sorted(found)


def test_no_view_class_defines_a_coroutine() -> None:
    assert _awaiting_views() == []


def test_the_check_sees_a_coroutine_in_a_view(tmp_path: Path) -> None:
    """The check itself: a widget method that awaits is found, nested or not (as SuppressionDialog.reload was)."""
    (tmp_path / "dialog.py").write_text("class D:\n    def load(self):\n        async def go():\n"
                                        "            await x\n    async def reload(self):\n        pass\n",
                                        encoding="utf-8")
    assert _awaiting_views(tmp_path) == ["dialog.py:3 D.go", "dialog.py:5 D.reload"]

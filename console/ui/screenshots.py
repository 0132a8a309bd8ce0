"""`wxconsole gui --screenshot DIR`: put every page in a representative state and save DIR/<page>.png.

A page may define `async def screenshot_setup(self) -> None` to reach that state (fill a template, import the sample
recipients, start a send …)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from console.ui.views.pages import PAGE_ORDER

if TYPE_CHECKING:
    from console.ui.views.main_window import MainWindow

log = logging.getLogger(__name__)


async def _settle(rounds: int = 5) -> None:
    """Let the loop (Qt events included: qasync runs them) work for a moment. Never processEvents() inside a task:
    a nested event loop would step other tasks re-entrantly ("Cannot enter into task")."""
    for _ in range(rounds):
        await asyncio.sleep(0.02)


@runtime_checkable
class ScreenshotSetup(Protocol):
    """A page that puts itself in a representative state before its picture."""

    async def screenshot_setup(self) -> None: ...


async def render_pages(window: MainWindow, out_dir: Path) -> int:
    await asyncio.to_thread(out_dir.mkdir, parents=True, exist_ok=True)
    failures = 0
    await _settle()
    for key, _title in PAGE_ORDER:
        window.show_page(key)
        page = window.pages[key]
        if isinstance(page, ScreenshotSetup):
            try:
                await page.screenshot_setup()
            except Exception:
                log.exception("screenshot setup of %s failed", key)
                failures += 1
        await _settle()
        if not window.grab().save(str(out_dir / f"{key}.png")):
            failures += 1
    return 1 if failures else 0

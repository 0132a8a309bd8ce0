"""The cyclic garbage collector and the GUI's responsiveness.

Measured (bench/ui_responsiveness.py, in-process demo send of 10 000, 2 loaded cores): the longest stalls of the Qt
loop during a send were full (generation-2) collections — 170, 90 and 84 ms — which walk every tracked object, and
most of those are the start-up's: imported modules, PySide6's wrappers, the pages and their models (~100 000 objects).
They live as long as the window, so after the window is shown they are moved out of the collector's reach with
`gc.freeze()` (https://docs.python.org/3/library/gc.html#gc.freeze: "move them to a permanent generation and ignore
them in all the future collections"). The same send then had generation-2 pauses of 38 ms at most and a maximum loop
lateness of 45 ms instead of 89 ms. Objects made later (jobs, items, events) are collected as before; a frozen object
that becomes garbage is still freed by reference counting (only a frozen reference cycle would stay).
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)


def freeze_startup_heap() -> int:
    """Call once the main window is shown: move every object tracked so far into the permanent generation. Returns
    how many objects are frozen."""
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.info("start-up heap frozen: %d objects left out of future cyclic collections", frozen)
    return frozen

"""Stop signals while a job sends: each one stops the engine the way Ctrl-C always has (no new recipient is taken;
the requests in flight finish and are recorded; the rest stay pending for `wxconsole resume`).

POSIX: SIGINT (Ctrl-C), SIGTERM (shutdown, `kill`, a scheduler's timeout, systemd at logoff) and SIGHUP (the terminal
closed, the session ended), through the running loop's signal handlers. A signal the process was started with
ignored (`nohup` ignores SIGHUP) stays ignored: the operator asked for the send to outlive the terminal.

Windows (not runnable on the Linux CI; written from the Win32 documentation): SIGINT and SIGBREAK (Ctrl-C,
Ctrl-Break) through `signal.signal` (the Proactor loop has no add_signal_handler), and the console's close, logoff and
shutdown events through SetConsoleCtrlHandler
(https://learn.microsoft.com/windows/console/setconsolectrlhandler, .../handlerroutine): Windows calls the handler on
a thread of its own and ends the process as soon as the handler returns (after about 5 s at the latest), so the handler
asks the loop to stop the engine and waits, bounded, until the run has recorded its in-flight sends. (Windows delivers
CTRL_LOGOFF_EVENT / CTRL_SHUTDOWN_EVENT only to console processes that have not loaded user32.dll.)
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, TextIO

from console.core.engine import EngineEvent, ItemDone
from console.core.messages import jobs_cli as msg

log = logging.getLogger(__name__)

# Windows console control events (wincon.h) and how long the handler may hold the process open for the engine
CTRL_CLOSE_EVENT = 2
CTRL_LOGOFF_EVENT = 5
CTRL_SHUTDOWN_EVENT = 6
CONSOLE_EVENT_NAMES = {CTRL_CLOSE_EVENT: "CTRL_CLOSE", CTRL_LOGOFF_EVENT: "CTRL_LOGOFF",
                       CTRL_SHUTDOWN_EVENT: "CTRL_SHUTDOWN"}
CONSOLE_EVENT_GRACE = 4.5  # seconds; Windows ends the process about 5 s after a close event


def stop_signal_names() -> tuple[str, ...]:
    """The stop signals of this platform, by name (only those the module `signal` has)."""
    names = ("SIGINT", "SIGBREAK") if sys.platform == "win32" else ("SIGINT", "SIGTERM", "SIGHUP")
    return tuple(n for n in names if hasattr(signal, n))


class _Tolerant(io.TextIOBase):
    """A text stream whose writes never raise: after SIGHUP the terminal may be gone (EIO), after a closed pipe
    EPIPE. What could not be printed is in the journal (and the log file) anyway."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        with contextlib.suppress(OSError, ValueError):
            self._stream.write(text)
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()

    def isatty(self) -> bool:
        try:
            return self._stream.isatty()
        except (OSError, ValueError):
            return False

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._stream, "encoding", "utf-8")


def tolerate_lost_terminal() -> None:
    """Make later prints to stdout/stderr harmless when the terminal or the pipe went away."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is not None and not isinstance(stream, _Tolerant):
            setattr(sys, name, _Tolerant(stream))


class StopSignals:
    """While installed (`with StopSignals(loop, on_stop):`), each stop signal calls `on_stop(name)` on the loop, with
    the signal's name ("SIGTERM", "CTRL_CLOSE", …); the callback decides what a repeated signal means. `finished()`
    tells a waiting Windows console handler that the run has recorded everything (called on exit too).

    `hold_after_stop` (the CLI: one run per process): once a stop signal arrived, leaving the block does not give the
    signals back to their default action but ignores them for the rest of the process. Otherwise a repeated signal
    (an impatient operator, a scheduler sending SIGTERM twice, SIGHUP after the terminal closed) landing between the
    end of the run and the exit would kill the process before it printed the summary and returned exit code 7."""

    def __init__(self, loop: asyncio.AbstractEventLoop, on_stop: Callable[[str], None], *,
                 hold_after_stop: bool = False) -> None:
        self._loop = loop
        self._on_stop = self._note_stop
        self._callback = on_stop
        self._hold = hold_after_stop
        self.stopped = False  # a stop signal arrived while installed
        self._via_loop: list[int] = []
        self._previous: dict[int, Any] = {}
        self._done = threading.Event()  # set when the run ended: a Windows console handler may return
        self._console_handler: Any = None

    def __enter__(self) -> StopSignals:
        for name in stop_signal_names():
            self._install(getattr(signal, name), name)
        if sys.platform == "win32":  # pragma: no cover - Windows only
            self._install_console_handler()
        return self

    def __exit__(self, *exc: object) -> None:
        self.finished()
        hold = self._hold and self.stopped
        for signum in self._via_loop:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                self._loop.remove_signal_handler(signum)
            if hold:
                self._ignore_from_now_on(signum)
        for signum, previous in self._previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(signum, self._repeat_after_stop if hold else previous)
        if self._console_handler is not None:  # pragma: no cover - Windows only
            self._remove_console_handler()

    def finished(self) -> None:
        self._done.set()

    def _note_stop(self, name: str) -> None:
        self.stopped = True
        self._callback(name)

    def _ignore_from_now_on(self, signum: int) -> None:
        with contextlib.suppress(OSError, ValueError, RuntimeError):  # not the main thread: nothing to hold
            signal.signal(signum, self._repeat_after_stop)

    @staticmethod
    def _repeat_after_stop(signum: int, _frame: object) -> None:
        log.info("stop signal %s again after the run stopped: already stopping", signum)

    # ---- signals -------------------------------------------------------------------------------------------

    def _install(self, signum: int, name: str) -> None:
        try:
            if signal.getsignal(signum) is signal.SIG_IGN:  # e.g. nohup: the operator wants it to keep sending
                return
        except (OSError, ValueError):
            return
        try:
            self._loop.add_signal_handler(signum, self._on_stop, name)
            self._via_loop.append(signum)
            return
        except (NotImplementedError, RuntimeError, ValueError):  # Windows' Proactor loop; not the main thread
            pass
        try:  # the signal module's handler runs in the main thread between bytecodes: hand over to the loop
            self._previous[signum] = signal.signal(signum, lambda _s, _f: self._from_other_context(name))
        except (OSError, ValueError, RuntimeError):
            log.warning("cannot handle %s here", name)

    def _from_other_context(self, name: str) -> None:
        with contextlib.suppress(RuntimeError):  # the loop is already closed: nothing left to stop
            self._loop.call_soon_threadsafe(self._on_stop, name)

    # ---- Windows console events ------------------------------------------------------------------------------

    def console_event(self, event: int) -> bool:
        """The HandlerRoutine body: True when handled (close/logoff/shutdown: the run was asked to stop and was
        waited for, at most CONSOLE_EVENT_GRACE s), False to pass the event on (Ctrl-C/Break: the signal module)."""
        name = CONSOLE_EVENT_NAMES.get(event)
        if name is None:
            return False
        self._from_other_context(name)
        self._done.wait(CONSOLE_EVENT_GRACE)
        return True

    def _install_console_handler(self) -> None:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            return
        import ctypes
        from ctypes import wintypes

        routine = ctypes.WINFUNCTYPE(wintypes.BOOL, wintypes.DWORD)
        self._console_handler = routine(lambda event: bool(self.console_event(int(event))))
        if not ctypes.windll.kernel32.SetConsoleCtrlHandler(self._console_handler, True):
            log.warning("SetConsoleCtrlHandler failed")
            self._console_handler = None

    def _remove_console_handler(self) -> None:  # pragma: no cover - Windows only
        if sys.platform != "win32":
            return
        import ctypes

        ctypes.windll.kernel32.SetConsoleCtrlHandler(self._console_handler, False)
        self._console_handler = None


class SignalStop:
    """What a stop signal does to the job being sent: the first one stops the engine (like Ctrl-C: in-flight sends
    finish and are recorded, the rest stay pending); a repeated one only says again that it is stopping. As an engine
    observer it counts the attempts recorded after the signal: the sends that were in flight."""

    def __init__(self, cancel: Callable[[], None], say: Callable[[str], None]) -> None:
        self._cancel = cancel
        self._say = say
        self.signal: str | None = None
        self.recorded = 0

    def __call__(self, name: str) -> None:
        tolerate_lost_terminal()  # SIGHUP / a closed console: the terminal may be gone
        if self.signal is not None:
            self._say(msg.STILL_STOPPING)
            return
        self.signal = name
        log.info("stop signal %s: finishing the requests in flight", name)
        self._cancel()
        self._say(msg.STOPPING.format(signal=self.label))

    @property
    def label(self) -> str:
        return msg.SIGNAL_NAMES.get(self.signal or "", self.signal or "")

    def observe(self, event: EngineEvent) -> None:
        if self.signal is not None and isinstance(event, ItemDone):
            self.recorded += 1

"""After a stop signal, the CLI's StopSignals keep catching stop signals until the process exits (issue 16: the
second-signal race). A repeated SIGTERM or a SIGHUP that lands after the run stopped but before the summary was
printed used to meet the default action again and kill the process (exit -15 instead of 7, no summary)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap

from tests.cli.test_cli_signals import default_signals

SCRIPT = textwrap.dedent("""
    import asyncio, os, signal, sys
    from console.cli.signals import StopSignals

    async def main(hold: bool, signalled: bool) -> None:
        stops = []
        with StopSignals(asyncio.get_running_loop(), stops.append, hold_after_stop=hold):
            if signalled:
                os.kill(os.getpid(), signal.SIGTERM)
                for _ in range(1000):
                    if stops:
                        break
                    await asyncio.sleep(0.01)
        print("after", stops, signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, flush=True)
        os.kill(os.getpid(), signal.SIGTERM)  # the impatient second signal, after the run ended
        os.kill(os.getpid(), signal.SIGHUP)
        await asyncio.sleep(0.05)
        print("alive", flush=True)

    asyncio.run(main(sys.argv[1] == "hold", sys.argv[2] == "signalled"))
""")


def _run(hold: str, signalled: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", SCRIPT, hold, signalled], capture_output=True, text=True,
                          timeout=60, preexec_fn=default_signals)


def test_signals_after_a_stop_are_held_until_exit() -> None:
    done = _run("hold", "signalled")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["after ['SIGTERM'] False", "alive"]


def test_without_hold_a_later_signal_has_its_default_action() -> None:
    """The control: the same sequence without hold_after_stop dies of the second SIGTERM (what the CLI did)."""
    done = _run("nohold", "signalled")
    assert done.returncode == -signal.SIGTERM
    assert done.stdout.splitlines() == ["after ['SIGTERM'] True"]


def test_hold_changes_nothing_when_no_stop_signal_came() -> None:
    """A run that ended by itself gives the signals back: a later SIGTERM ends the process as usual."""
    done = _run("hold", "quiet")
    assert done.returncode == -signal.SIGTERM
    assert done.stdout.splitlines() == ["after [] True"]

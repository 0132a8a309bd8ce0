"""The CLI's `send --receiver` leaves out the same rows as the window (issue 18): one list, one REAL receiver process
(`wxconsole receiver`) fed by the simulator's encrypted pushes, the same use case (usecases/consent.py) in both
shells. The CLI runs first, in its own sandbox (its simulator pushes nothing, so the receiver's balances stay as they
were for the window's send)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace

from console.app import SANDBOX_JOURNAL_FILE, receiver_link
from console.core.clock import SystemClock
from console.core.journal import JournalRepo
from console.core.journal.left_out import REJECTED
from console.core.messages import consent as consent_msg
from console.sim import Simulator
from console.sim.push_events import announce_consent
from console.ui.texts import send as send_txt
from tests.sim.test_sim_push import AES_KEY, KEY, TOKEN
from tests.ui.conftest import wait_until
from tests.ui.test_ui_consent_receiver import receiver_url  # noqa: F401
from tests.ui.test_ui_send import _ready, _start


def test_cli_send_and_the_window_leave_out_the_same_rows(window, controller, run, simulator: Simulator,
                                                         receiver_url, tmp_path) -> None:  # noqa: F811
    simulator.configure(push_url=f"{receiver_url}/wechat/{{appid}}", push_token=TOKEN, push_aes_key=AES_KEY)

    async def pushed() -> None:
        await announce_consent(simulator)
        await simulator.pusher.idle()

    run(controller.sending.ensure_demo_draft())
    run(pushed(), timeout=120)
    assert simulator.pusher.stats["failed"] == 0
    controller.secrets.set("receiver", KEY)
    controller.services.receiver = receiver_link(replace(controller.settings, receiver_url=receiver_url),
                                                 controller.secrets)
    template_id = controller.workspace.draft.template_id
    sample = window.pages["recipients"].recipients.sample_path()

    env = {k: v for k, v in os.environ.items() if not k.startswith("WXCONSOLE_")}
    env |= {"WXCONSOLE_RECEIVER_KEY": KEY, "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    fields = [a for name, column in send_txt.DEMO_COLUMNS.items() for a in ("--column", f"{name}={column}")]
    fields += [a for name, value in send_txt.DEMO_FIXED.items() for a in ("--data", f"{name}={value}")]
    cli_home = tmp_path / "cli-home"
    cli = subprocess.run([sys.executable, "-m", "console.cli.main", "--home", str(cli_home), "--sandbox", "send",
                          "--template", template_id, "--recipients", str(sample), *fields, "--receiver", receiver_url,
                          "--yes", "--json"], capture_output=True, text=True, timeout=300, env=env)
    assert cli.returncode == 0, cli.stderr
    summary = json.loads(cli.stdout)
    assert summary["consent"] == {"with_consent": 53, "without_consent": 6, "unknown": 1}, summary
    assert summary["left_out_without_consent"] == 6 and summary["failed"] == 0  # nobody was sent a 43101
    journal = JournalRepo.open(cli_home / SANDBOX_JOURNAL_FILE, SystemClock())
    try:
        cli_rows = {r.row for r in journal.left_out.rows(summary["job"])
                    if r.kind == REJECTED and r.reason == consent_msg.REASON_WITHOUT}
    finally:
        journal.close()

    async def gui_send() -> int:
        await _ready(window, controller)
        job = await _start(window, controller)
        await wait_until(lambda: controller.sending.running_job is None, within=120)
        return job

    job = run(gui_send(), timeout=180)
    gui_rows = {r.row for r in controller.services.journal.left_out.rows(job)
                if r.kind == REJECTED and r.reason == consent_msg.REASON_WITHOUT}
    assert len(gui_rows) == 6 and cli_rows == gui_rows
    assert controller.services.journal.counts(job).sent == summary["sent"]

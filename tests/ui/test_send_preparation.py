"""SendPreparation (controllers/send_prepare.py) is built with what it needs — the workspace, the services of the
moment, the task runner, the two ways to tell the operator something — and no AppController: what is missing
before a send, the preparation and the confirmation's content, on the in-process simulator."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from console.app import Services, sandbox_services
from console.core.recipients import import_bytes
from console.sim import Simulator
from console.sim.seed import mini_openid
from console.ui.controllers.send_prepare import SendPreparation, draft_request
from console.ui.state import Workspace
from console.ui.tasks import TaskRunner
from console.ui.texts import send as txt


@pytest.fixture
def services(tmp_path: Path, run: Any) -> Iterator[Services]:
    services = sandbox_services(tmp_path, simulator=Simulator())
    services.open_journal()
    yield services
    run(services.aclose())


def test_readiness_preparation_and_confirmation_without_the_app_controller(services: Services, run: Any) -> None:
    ws, notices, errors = Workspace(), [], []
    current = [services]
    preparation = SendPreparation(ws, lambda: current[0], TaskRunner(), notice=notices.append,
                                  error=lambda title, body: errors.append((title, body)))
    assert [i.key for i in preparation.readiness()] == ["template", "recipients"]  # a subscribe draft, no list

    ws.set_kind("custom")
    ws.set_field("content", value="明天上午九点开会")
    assert [(i.key, i.page) for i in preparation.readiness()] == [("recipients", "recipients")]
    rows = "".join(f"{mini_openid(i)}\n" for i in range(1, 4))
    ws.set_report(import_bytes(f"openid\n{rows}{mini_openid(1)}\n".encode(), "名单.csv"))  # one duplicate
    assert preparation.readiness() == []

    report = ws.report
    assert report is not None
    prepared = run(preparation.prepare_items(services, draft_request(ws.draft), report))
    assert len(prepared.items) == 3
    ws.preview_sent_for = ws.draft_fingerprint()
    pending = run(preparation.pending_for(services, prepared, ws.draft_fingerprint()))
    assert pending is not None and pending.services is services and pending.sandbox
    assert pending.preview_sent and pending.left_at_import == 1 and pending.overlap_warning == ""
    assert errors == [] and notices == []

    prepared.items.clear()  # nothing left to send: a dialog says so, no confirmation
    assert run(preparation.pending_for(services, prepared, ws.draft_fingerprint())) is None
    assert [title for title, _ in errors] == [txt.NOTHING_TITLE]

    current[0] = replace(services, mini=None, oa=None)  # e.g. an account switch: no mini program now
    assert [i.key for i in preparation.readiness()] == ["account"]  # the services of the moment, not the first

"""Loads the account's templates (subscribe and legacy from the mini program, OA templates from the Official
Account) into the workspace, on start, on a mode/account switch and on request."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from console.core.wechat.models import Template
from console.ui.errors import friendly_error
from console.ui.texts import templates as txt

if TYPE_CHECKING:
    from console.app import Services
    from console.ui.controllers.app_controller import AppController
    from console.ui.state import Workspace

log = logging.getLogger(__name__)

LIST_KINDS = ("subscribe", "mp", "weapp")
RETIRED_KINDS = ("weapp", "uniform")


def legacy_apis_enabled(services: Services) -> bool:
    """The retired channels work only against the simulator in its legacy (2018-2020) mode."""
    sim = services.simulator
    return sim is not None and sim.config.legacy_apis


class TemplatesController(QObject):
    loading_changed = Signal(bool)
    # Chinese status after a load: "" when everything loaded, else what failed and what to do
    problem_changed = Signal(str)
    note_changed = Signal(str)  # not a problem: e.g. the account has no 公众号 bound (optional), said in grey

    def __init__(self, app: AppController) -> None:
        super().__init__()
        self.app = app
        self.loading = False
        self.problem = ""
        self.note = ""
        self._generation = 0
        self._task: asyncio.Task[None] | None = None
        app.started.connect(self.refresh)
        app.services_changed.connect(self.refresh)

    @property
    def workspace(self) -> Workspace:
        return self.app.workspace

    def refresh(self) -> None:
        """Start a (re)load; a load still running for older services is cancelled and its answer ignored."""
        self._generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self._set_loading(True)
        self._task = self.app.tasks.spawn(self._load(self._generation), name="load-templates")

    async def _load(self, generation: int) -> None:
        services = self.app.services
        clients = {kind: client for kind in LIST_KINDS if (client := services.client_for(kind)) is not None}
        kinds = list(clients)
        try:
            results = await asyncio.gather(*(clients[k].list_templates(k) for k in kinds), return_exceptions=True)
        finally:
            if generation == self._generation:
                self._set_loading(False)
        if generation != self._generation:
            return
        templates: list[Template] = []
        failures: dict[str, BaseException] = {}
        for kind, result in zip(kinds, results, strict=True):
            if isinstance(result, BaseException):
                if isinstance(result, asyncio.CancelledError):
                    raise result
                log.warning("listing %s templates failed: %s", kind, type(result).__name__)
                failures[kind] = result
            else:
                templates += result
        if len(failures) < len(kinds):
            failures.pop("weapp", None)  # the retired kind failing alone is not worth a warning
        missing = [k for k in LIST_KINDS if k not in clients]  # (clients holds the configured ones only)
        problem = note = ""
        if failures and len(failures) == len(kinds):
            _title, message = friendly_error(next(iter(failures.values())))
            problem = txt.LOAD_FAILED.format(reason=message)
            self.app.error.emit(txt.LOAD_FAILED_TITLE, problem)
        else:
            if templates or not failures:
                self.workspace.set_templates(templates)
            if failures:
                _title, message = friendly_error(next(iter(failures.values())))
                names = txt.FIELD_SEP.join(txt.KIND_NAMES[k] for k in failures)
                problem = txt.PARTLY_FAILED.format(kinds=names, reason=message)
            elif missing and "mp" in missing and templates:
                note = txt.NO_OA_NOTE  # the 公众号 is optional: the mini program's templates are all there is
            elif missing and "mp" in missing:
                problem = txt.NO_ACCOUNT.format(account=txt.ACCOUNT_NAMES["mp"], kinds=txt.KIND_NAMES["mp"])
            elif missing:
                problem = txt.NO_ACCOUNT.format(account=txt.ACCOUNT_NAMES["subscribe"],
                                                kinds=txt.KIND_NAMES["subscribe"])
        self._set_problem(problem)
        self.note = note
        self.note_changed.emit(note)

    def _set_loading(self, loading: bool) -> None:
        self.loading = loading
        self.loading_changed.emit(loading)

    def _set_problem(self, problem: str) -> None:
        self.problem = problem
        self.problem_changed.emit(problem)

    def cannot_use(self, template: Template) -> str | None:
        """Why `template` cannot be used now (a retired channel outside the legacy simulator), or None."""
        if template.kind == "weapp" and not legacy_apis_enabled(self.app.services):
            return txt.RETIRED_USE
        return None

    def use(self, template: Template) -> None:
        """Make `template` the one being composed, on the channel that sends its kind."""
        ws = self.workspace
        kind = ws.draft.kind
        target = template.kind
        if template.kind == "weapp":  # both retired channels send legacy templates
            target = kind if kind in RETIRED_KINDS else "weapp"
        ws.set_kind(target)
        ws.select_template(template)

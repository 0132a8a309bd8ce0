"""Before a send, for SendController: SendPreparation says what is missing (readiness, each Issue with the page that
fixes it) and prepares a job for the operator's confirmation (PendingSend: every item checked and rendered off the
loop, the two-operators overlap check, whether a test was sent for this content). It is built with the collaborators
it needs — the workspace (the draft and the list), the services of the moment, the task runner and the two ways
to tell the operator something — not with the app controller."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from console.app import Services
from console.core.messages.jobs import OVERLAP_CHANGED
from console.core.recipients import ImportReport
from console.core.wechat.errors import ValidationError
from console.ui.state import Workspace
from console.ui.tasks import TaskRunner
from console.ui.texts import send as txt
from console.usecases.compose_checks import typed_value_problem
from console.usecases.consent import INCLUDE_WITHOUT_CONSENT, ConsentCheck
from console.usecases.job_runner import RETIRED_KINDS
from console.usecases.jobs import JobRequest, PreparedJob, check_request
from console.usecases.overlap import Overlap, check_overlap
from console.usecases.prepare import SendPreparation as Prepared
from console.usecases.prepare import prepare_send


@dataclass(frozen=True, slots=True)
class Issue:
    """Something missing before a send, and the page that fixes it."""

    key: str  # "account" | "template" | "fields" | "recipients" | "retired"
    text: str
    page: str


@dataclass(slots=True)
class PendingSend:
    """A prepared job waiting for the operator's confirmation, with what the dialog must state."""

    prepared: PreparedJob
    services: Services  # the mode/accounts it was prepared for; a change in between voids it
    sandbox: bool
    preview_sent: bool
    overlap_warning: str = ""  # recipients another job (a colleague?) sent the same template to a moment ago
    overlap: Overlap = field(default_factory=Overlap)  # what the warning says: the overlap the operator accepts
    left_at_import: int = 0  # rows of the file the import already left out (problems, duplicates)
    consent_line: str = ""  # subscribe messages, consent known at the receiver: 可发送 N 人：有订阅授权 …

    def overlap_changed(self, overlap: Overlap, now: float) -> None:
        """Another job started sending the same template between the question and the creation: the dialog asks
        again, saying so."""
        self.overlap = overlap
        self.overlap_warning = OVERLAP_CHANGED + overlap.warning(now)


def draft_request(d: JobRequest) -> JobRequest:
    """The JobRequest of the draft (copies: later edits of the draft do not change it)."""
    return JobRequest(kind=d.kind, template_id=d.template_id, fixed=dict(d.fixed),
                      column_map=dict(d.column_map), options=dict(d.options))


class SendPreparation:
    """What is missing before a send, and the preparation of a job for the confirmation (SendController owns one).

    `services`: the services of the moment (a mode or account switch replaces them); `notice`: a status-bar line;
    `error`: a dialog (title, message)."""

    def __init__(self, workspace: Workspace, services: Callable[[], Services], tasks: TaskRunner, *,
                 notice: Callable[[str], None], error: Callable[[str, str], None]) -> None:
        self._workspace = workspace
        self._services = services
        self._tasks = tasks
        self._notice = notice
        self._error = error

    async def ensure_demo_draft(self) -> None:
        """Sandbox demo/screenshots: when no template is chosen yet, pick the one the sample list fits."""
        ws, services = self._workspace, self._services()
        if ws.template is not None or services.mini is None:
            return
        templates = await services.mini.list_templates("subscribe")
        ws.set_kind("subscribe")
        if not ws.templates:
            ws.set_templates(templates)
        template = next((t for t in templates if t.title == txt.DEMO_TEMPLATE_TITLE), None)
        if template is None:
            return
        ws.select_template(template)
        for name, column in txt.DEMO_COLUMNS.items():
            ws.set_field(name, column=column)
        for name, value in txt.DEMO_FIXED.items():
            ws.set_field(name, value=value)

    def readiness(self) -> list[Issue]:
        """What is missing before a send, each with the page that fixes it (empty = ready)."""
        ws, services = self._workspace, self._services()
        kind, issues = ws.draft.kind, []
        kind_name = txt.KIND_NAMES.get(kind, kind)
        if services.client_for(kind) is None:
            issues.append(Issue("account", txt.ISSUE_NO_ACCOUNT.format(kind=kind_name), "settings"))
        if kind in RETIRED_KINDS and not services.sandbox:
            issues.append(Issue("retired", txt.ISSUE_RETIRED, "compose"))
        if kind != "custom" and ws.template is None:
            issues.append(Issue("template", txt.ISSUE_NO_TEMPLATE, "templates"))
        else:
            problems = self.field_problems()
            if problems:
                details = txt.PROBLEM_SEP.join(v if f"“{k}”" in v else txt.PROBLEM_ITEM.format(name=k, reason=v)
                                               for k, v in list(problems.items())[:3])  # the reason names it
                issues.append(Issue("fields", txt.ISSUE_FIELDS.format(details=details), "compose"))
        report = ws.report
        if report is None:
            issues.append(Issue("recipients", txt.ISSUE_NO_RECIPIENTS, "recipients"))
        elif report.valid == 0:
            issues.append(Issue("recipients", txt.ISSUE_EMPTY_LIST.format(source=report.source_name),
                                "recipients"))
        return issues

    def field_problems(self) -> dict[str, str]:
        """The draft's message problems, keyed by the field's label (the clerk never sees thing3)."""
        ws = self._workspace
        report, template = ws.report, ws.template
        columns = report.columns if report is not None else list(ws.draft.column_map.values())
        try:
            check_request(ws.draft, template, columns)
        except ValidationError as exc:  # keyed by the hidden field key (thing3): the clerk sees labels only
            labels = {f.name: f.label for f in template.fields if f.label} if template is not None else {}
            return {labels.get(k, k): v for k, v in exc.problems.items()}
        problems: dict[str, str] = {}
        if ws.draft.kind in ("subscribe", "mp") and template is not None:
            for f in template.fields:
                value = ws.draft.fixed.get(f.name)
                if value is not None and "{{" not in value:
                    # OA: the category templates' typed fields (historical keywords: no rule)
                    reason = typed_value_problem(ws.draft.kind, f, value, template.enum_values.get(f.name))
                    if reason:
                        problems[f.label or f.name] = reason
        return problems

    async def prepare(self, services: Services, request: JobRequest, report: ImportReport) -> Prepared:
        """Every item of the list checked and rendered, off the loop (for the OA, the follower map first; for a
        subscribe message, the rows without consent at the receiver left out unless the override)."""
        return await prepare_send(services, request, report, on_followers=lambda: self._notice(txt.FOLLOWERS),
                                  in_thread=self._tasks.in_thread)

    async def prepare_items(self, services: Services, request: JobRequest, report: ImportReport) -> PreparedJob:
        return (await self.prepare(services, request, report)).prepared

    async def pending_for(self, services: Services, prepared: PreparedJob, fingerprint: str,
                          consent: ConsentCheck | None = None) -> PendingSend | None:
        """What the confirmation must state (the overlap with recent sends included, the consent line when the
        receiver answered), or None with an error dialog when no item is left to send."""
        if not prepared.items:
            examples = "\n".join(txt.REJECTED_LINE.format(row=e.row, column=e.column, reason=e.reason)
                                 for e in prepared.rejected[:5])
            self._error(txt.NOTHING_TITLE, txt.NOTHING_BODY.format(rejected=len(prepared.rejected),
                                                                   examples=examples))
            return None
        overlap = await check_overlap(services.journal, services.redis_overlap, prepared.spec, prepared.items,
                                      services.clock.now(), in_thread=self._tasks.in_thread)
        report = self._workspace.report
        left = sum(1 for e in report.errors if e.row) + len(report.duplicates) if report is not None else 0
        include = bool(prepared.spec.options.get(INCLUDE_WITHOUT_CONSENT))
        line = consent.line(include) if consent is not None and consent.known else ""
        return PendingSend(prepared, services, services.sandbox, self._workspace.preview_sent_for == fingerprint,
                           overlap.warning(services.clock.now()), overlap, left, line)

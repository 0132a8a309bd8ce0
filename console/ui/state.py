"""Workspace: what the operator is working on (templates, chosen template and channel, the draft, the recipients),
shared by the pages. Plain data plus change signals; controllers change it, views listen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from console.core.jobs import JobRequest
from console.core.recipients import ImportReport
from console.core.wechat.models import Template


class Workspace(QObject):
    templates_changed = Signal()
    template_selected = Signal()
    draft_changed = Signal()
    recipients_changed = Signal()
    job_started = Signal(int)
    job_finished = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.templates: list[Template] = []
        self.template: Template | None = None
        self.draft = JobRequest(kind="subscribe")
        self.report: ImportReport | None = None
        self.report_source: Path | None = None  # the file `report` was imported from (RecipientsController.source)
        self.preview_sent_for: str | None = None  # fingerprint of the draft a test message was sent for

    def set_templates(self, templates: list[Template]) -> None:
        self.templates = templates
        if self.template is not None and all(t.template_id != self.template.template_id for t in templates):
            self.select_template(None)
        self.templates_changed.emit()

    def select_template(self, template: Template | None) -> None:
        self.template = template
        self.draft.template_id = template.template_id if template else ""
        keep = {f.name for f in template.fields} if template else set()
        self.draft.fixed = {k: v for k, v in self.draft.fixed.items() if k in keep}
        self.draft.column_map = {k: v for k, v in self.draft.column_map.items() if k in keep}
        self.template_selected.emit()
        self.draft_changed.emit()

    def set_kind(self, kind: str) -> None:
        if kind != self.draft.kind:
            self.draft.kind = kind
            self.select_template(None)

    def set_field(self, name: str, *, value: str | None = None, column: str | None = None) -> None:
        """A field takes either a fixed value or a recipient column."""
        self.draft.fixed.pop(name, None)
        self.draft.column_map.pop(name, None)
        if column:
            self.draft.column_map[name] = column
        elif value is not None:
            self.draft.fixed[name] = value
        self.draft_changed.emit()

    def set_option(self, key: str, value: object) -> None:
        if value in (None, ""):
            self.draft.options.pop(key, None)
        else:
            self.draft.options[key] = value
        self.draft_changed.emit()

    def set_report(self, report: ImportReport | None) -> None:
        self.report = report
        self.recipients_changed.emit()

    def draft_fingerprint(self) -> str:
        d = self.draft
        return repr((d.kind, d.template_id, sorted(d.fixed.items()), sorted(d.column_map.items()),
                     sorted((k, str(v)) for k, v in d.options.items())))

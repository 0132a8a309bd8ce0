"""Compose: the channel, the template's field values (fixed or from a recipient column), the options, the checks
that keep an invalid message from ever being sent, and "send a test to me"."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from console.core.audience import follower_map
from console.core.jobs import OA_IGNORED_FIELDS, TEMPLATE_LIST_KIND, compose_data, render
from console.core.recipients import Recipient
from console.core.wechat.models import SendResult, Template
from console.core.wechat.payload import oa_warnings, validate_value
from console.core.wechat.retired import retired_notice
from console.core.wechat.templates import TemplateField
from console.ui.controllers.templates_controller import RETIRED_KINDS, legacy_apis_enabled
from console.ui.errors import friendly_error
from console.ui.texts import compose as txt

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController
    from console.ui.state import Workspace

log = logging.getLogger(__name__)

CHANNELS = ("subscribe", "mp", "custom", "weapp", "uniform")
OPTION_KEYS = {
    "subscribe": ("page", "miniprogram_state", "lang"),
    "mp": ("miniprogram", "url"),
    "custom": (),
    "weapp": ("page", "emphasis_keyword"),
    "uniform": ("page", "emphasis_keyword"),
}
MAX_PREVIEW_RECIPIENTS = 500
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")  # same syntax as console.core.jobs.render


class OperatorUnknownError(Exception):
    """The operator's own openid (or OA openid) is not known: the message says what to set."""


@dataclass(frozen=True, slots=True)
class Check:
    level: str  # "hint" (not filled yet) | "ok" | "warn" (some recipients will be left out) | "error"
    text: str


def placeholders(text: str) -> list[str]:
    return [m.group(1).strip() for m in _PLACEHOLDER.finditer(text)]


class ComposeController(QObject):
    test_busy_changed = Signal(bool)
    test_result = Signal(bool, str)  # ok, Chinese text
    preview_changed = Signal()  # another recipient is previewed

    def __init__(self, app: AppController) -> None:
        super().__init__()
        self.app = app
        self.preview_row = 0  # index into the report's recipients used for the preview and the test
        self.test_busy = False
        self._cache: dict[tuple[Any, ...], Check] = {}
        self.ws.recipients_changed.connect(self._recipients_changed)
        self.ws.template_selected.connect(self.auto_map)

    @property
    def ws(self) -> Workspace:
        return self.app.workspace

    @property
    def kind(self) -> str:
        return self.ws.draft.kind

    # --- channel and template ---

    def legacy_enabled(self) -> bool:
        return legacy_apis_enabled(self.app.services)

    def channel_available(self, kind: str) -> bool:
        return kind not in RETIRED_KINDS or self.legacy_enabled()

    def set_channel(self, kind: str) -> None:
        if kind == self.kind:
            return
        keep = set(OPTION_KEYS.get(kind, ()))
        for key in [k for k in self.ws.draft.options if k not in keep]:
            self.ws.draft.options.pop(key, None)
        self.ws.set_kind(kind)

    def templates_for_channel(self) -> list[Template]:
        list_kind = TEMPLATE_LIST_KIND.get(self.kind)
        return [t for t in self.ws.templates if t.kind == list_kind]

    def choose_template(self, template_id: str) -> None:
        template = next((t for t in self.templates_for_channel() if t.template_id == template_id), None)
        if template is not self.ws.template:
            self.ws.select_template(template)

    def editable_fields(self) -> list[TemplateField]:
        t = self.ws.template
        if t is None:
            return []
        return [f for f in t.fields if not (t.kind == "mp" and f.name in OA_IGNORED_FIELDS)]

    def has_hidden_fields(self) -> bool:
        t = self.ws.template
        return t is not None and t.kind == "mp" and any(f.name in OA_IGNORED_FIELDS for f in t.fields)

    # --- values ---

    def set_value(self, name: str, value: str) -> None:
        self.ws.set_field(name, value=value)

    def set_column(self, name: str, column: str, fallback_value: str = "") -> None:
        if column:
            self.ws.set_field(name, column=column)
        else:
            self.ws.set_field(name, value=fallback_value)

    def auto_map(self) -> None:
        """Fields still empty take the recipient column of the same name (e.g. a 预约项目 column)."""
        report = self.ws.report
        if report is None:
            return
        d = self.ws.draft
        for f in self.editable_fields():
            if f.name in d.column_map or d.fixed.get(f.name, "").strip():
                continue
            if f.label and f.label in report.columns:
                self.ws.set_field(f.name, column=f.label)

    def _recipients_changed(self) -> None:
        self.preview_row = 0
        self._cache.clear()
        self.auto_map()

    def recipients(self) -> list[Recipient]:
        report = self.ws.report
        return report.recipients[:MAX_PREVIEW_RECIPIENTS] if report is not None else []

    def preview_recipient(self) -> Recipient | None:
        people = self.recipients()
        return people[self.preview_row] if 0 <= self.preview_row < len(people) else None

    def set_preview_row(self, index: int) -> None:
        if index != self.preview_row:
            self.preview_row = index
            self.preview_changed.emit()

    def message_data(self) -> dict[str, str]:
        """What the test message (and the preview) carries: fixed values rendered for the preview recipient."""
        d = self.ws.draft
        recipient = self.preview_recipient()
        values = recipient.values if recipient is not None else {}
        if self.kind == "custom":
            return {"content": render(d.fixed.get("content", ""), values)}
        names = {f.name for f in self.editable_fields()}
        fixed = {k: v for k, v in d.fixed.items() if k in names}
        columns = {k: v for k, v in d.column_map.items() if k in names}
        data = compose_data(fixed, columns, values) if recipient is not None else dict(fixed)
        return data

    # --- options ---

    def page(self) -> str:
        if self.kind == "mp":
            mini = self.ws.draft.options.get("miniprogram") or {}
            return str(mini.get("pagepath", "")) if isinstance(mini, dict) else ""
        return str(self.ws.draft.options.get("page", ""))

    def set_page(self, page: str) -> None:
        page = page.strip()
        if self.kind == "mp":
            mini = self.app.services.mini
            value = {"appid": mini.appid, "pagepath": page} if page and mini is not None else None
            self.ws.set_option("miniprogram", value)
        else:
            self.ws.set_option("page", page)

    def set_option(self, key: str, value: object) -> None:
        self.ws.set_option(key, value)

    # --- checks ---

    def _check_value(self, f: TemplateField, value: str) -> Check | None:
        """An error/warning Check for one concrete value, or None when it is fine."""
        t = self.ws.template
        if t is None:
            return None
        if self.kind == "mp":
            if not value.strip():
                return Check("error", validate_value("thing", value) or "")
            warning = oa_warnings([f], {f.name: value}).get(f.name)
            return Check("warn", warning) if warning else None
        if self.kind in RETIRED_KINDS:
            reason = validate_value("keyword", value)
        else:
            reason = validate_value(f.type, value, t.enum_values.get(f.name))
        return Check("error", reason) if reason else None

    def _check_recipients(self, f: TemplateField, value_of: Any, key: tuple[Any, ...], ok_text: str) -> Check:
        """Check the value of every recipient (a mapped column or a fixed value with placeholders)."""
        report = self.ws.report
        assert report is not None
        key = (*key, id(report), self.preview_row, self.kind)
        if key in self._cache:
            return self._cache[key]
        bad: list[tuple[int, str]] = []
        preview = self.preview_recipient()
        preview_problem: Check | None = None
        example = ""
        for r in report.recipients:
            value = value_of(r)
            problem = self._check_value(f, value)
            if r is preview:
                example = value
                preview_problem = problem
            if problem is not None and problem.level == "error":
                bad.append((r.row, problem.text))
        if preview_problem is not None and preview_problem.level == "error":
            check = Check("error", txt.PREVIEW_BAD.format(row=preview.row if preview else 0,
                                                          reason=preview_problem.text))
        elif bad:
            check = Check("warn", txt.RECIPIENTS_BAD.format(count=len(bad), row=bad[0][0], reason=bad[0][1]))
        elif preview_problem is not None:
            check = preview_problem
        else:
            check = Check("ok", ok_text.format(value=example, column=key[2]))
        self._cache[key] = check
        if len(self._cache) > 500:
            self._cache.clear()
        return check

    def check_field(self, f: TemplateField) -> Check:
        d, report = self.ws.draft, self.ws.report
        column = d.column_map.get(f.name)
        if column:
            if report is None:
                return Check("error", txt.COLUMN_NO_REPORT)
            if column not in report.columns:
                return Check("error", txt.COLUMN_MISSING.format(column=column))
            return self._check_recipients(f, lambda r: r.values.get(column, ""), ("col", f.name, column),
                                          txt.COLUMN_OK)
        value = d.fixed.get(f.name)
        if value is None or not value.strip():
            return Check("hint", "")
        names = placeholders(value)
        if names and report is not None:
            unknown = [n for n in names if n not in report.columns]
            if unknown:
                return Check("warn", txt.PLACEHOLDER_UNKNOWN.format(name=unknown[0]))
            return self._check_recipients(f, lambda r: render(value, r.values), ("fix", f.name, value),
                                          txt.PLACEHOLDER_OK)
        return self._check_value(f, value) or Check("ok", "")

    def checks(self) -> dict[str, Check]:
        return {f.name: self.check_field(f) for f in self.editable_fields()}

    def account_missing(self) -> str | None:
        services = self.app.services
        if services.client_for(self.kind) is None:
            return txt.ACCOUNT_OA if self.kind == "mp" else txt.ACCOUNT_MINI
        if self.kind == "mp" and services.oa is None:
            return txt.ACCOUNT_OA
        return None

    def blocking_reason(self) -> str | None:
        """Why nothing can be sent right now (the test button shows it), or None."""
        kind = self.kind
        if not self.channel_available(kind):
            channel = "legacy_template" if kind == "weapp" else "uniform_send"
            return txt.BLOCK_RETIRED.format(notice=retired_notice(channel) or "")
        account = self.account_missing()
        if account:
            return txt.BLOCK_NO_ACCOUNT.format(account=account)
        if kind == "custom":
            if not self.ws.draft.fixed.get("content", "").strip():
                return txt.BLOCK_NO_CONTENT
        else:
            if self.ws.template is None:
                return txt.BLOCK_NO_TEMPLATE
            checks = self.checks()
            fields = {f.name: f for f in self.editable_fields()}
            missing = [fields[n].label or n for n, c in checks.items() if c.level == "hint"]
            if missing:
                return txt.BLOCK_MISSING.format(count=len(missing), names=txt.LIST_SEP.join(missing))
            for name, c in checks.items():
                if c.level == "error":
                    return txt.BLOCK_INVALID.format(label=fields[name].label or name, reason=c.text)
        if not self.operator_openid():
            return txt.BLOCK_NO_OPERATOR
        return None

    # --- the test message ---

    def operator_openid(self) -> str:
        sim = self.app.services.simulator
        if sim is not None:
            return str(getattr(sim, "operator_openid", ""))
        return self.app.settings.operator_openid

    def preview_is_current(self) -> bool | None:
        """True: a test was sent for exactly this content; False: one was sent, then edited; None: never."""
        if self.ws.preview_sent_for is None:
            return None
        return self.ws.preview_sent_for == self.ws.draft_fingerprint()

    def send_test(self) -> None:
        if self.test_busy or self.blocking_reason() is not None:
            return
        self._set_busy(True)
        self.app.tasks.spawn(self._send_test(), name="send-test")

    async def _send_test(self) -> None:
        fingerprint = self.ws.draft_fingerprint()
        try:
            result = await self._deliver()
        except asyncio.CancelledError:
            raise
        except OperatorUnknownError as exc:
            self._failed(str(exc))
        except Exception as exc:  # every failure becomes a Chinese message with a next step
            _title, message = friendly_error(exc)
            self._failed(message)
        else:
            self.ws.preview_sent_for = fingerprint
            sandbox = self.app.services.sandbox
            if sandbox:
                text = txt.TEST_OK_SANDBOX.format(msgid=result.msgid)
            else:
                text = txt.TEST_OK.format(msgid=result.msgid) if result.msgid else txt.TEST_OK_NO_ID
            self.test_result.emit(True, text)
        finally:
            self._set_busy(False)

    def _failed(self, message: str) -> None:
        self.test_result.emit(False, txt.TEST_FAILED.format(reason=message))
        self.app.error.emit(txt.TEST_FAILED_TITLE, message)

    def _set_busy(self, busy: bool) -> None:
        self.test_busy = busy
        self.test_busy_changed.emit(busy)

    async def _deliver(self) -> SendResult:
        services, d, kind = self.app.services, self.ws.draft, self.kind
        client = services.client_for(kind)
        assert client is not None
        data = self.message_data()
        opts = d.options
        touser = await self._operator_target(kind)
        if kind == "subscribe":
            return await client.send_subscribe(touser, d.template_id, data, page=opts.get("page"),
                                               miniprogram_state=opts.get("miniprogram_state"),
                                               lang=opts.get("lang"))
        if kind == "mp":
            return await client.send_mp_template(touser, d.template_id, data, url=opts.get("url"),
                                                 miniprogram=opts.get("miniprogram"))
        if kind == "custom":
            return await client.send_custom_text(touser, data["content"])
        form_id = services.simulator.issue_form_id(touser)  # type: ignore[union-attr]  # legacy: sandbox only
        if kind == "weapp":
            return await client.send_legacy_template(touser, d.template_id, form_id, data, page=opts.get("page"),
                                                     emphasis_keyword=opts.get("emphasis_keyword"))
        weapp = {"template_id": d.template_id, "form_id": form_id, "data": data, "page": opts.get("page"),
                 "emphasis_keyword": opts.get("emphasis_keyword")}
        return await client.uniform_send(touser, weapp={k: v for k, v in weapp.items() if v})

    async def _operator_target(self, kind: str) -> str:
        openid = self.operator_openid()
        if kind != "mp":
            return openid
        services = self.app.services
        sim = services.simulator
        if sim is not None:
            return str(sim.special_users["operator"]["oa_openid"])  # type: ignore[attr-defined]
        # live: the operator's unionid from the imported list, then the OA follower map
        report = self.ws.report
        unionid = next((r.unionid for r in (report.recipients if report else []) if r.openid == openid
                        and r.unionid), None)
        if not unionid or services.oa is None:
            raise OperatorUnknownError(txt.NO_OA_OPENID)
        journal = await self.app.tasks.in_thread(lambda: services.journal)
        followers = await follower_map(services.oa, journal, services.clock)
        target = followers.unionid_to_openid.get(unionid)
        if not target:
            raise OperatorUnknownError(txt.NO_OA_OPENID)
        return target

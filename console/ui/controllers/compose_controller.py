"""Compose: the channel, the template's field values (fixed or from a recipient column), the options, the checks
that keep an invalid message from ever being sent, and "send a test to me".

The field checks live in compose_checks.py and the delivery of the test message in console/usecases/send_to_myself.py;
their public names (Check, placeholders, OperatorUnknownError) stay importable from here."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from console.core.recipients import Recipient
from console.core.wechat.models import Template
from console.core.wechat.template_values import OA_IGNORED_FIELDS
from console.core.wechat.templates import TemplateField
from console.ui.controllers.compose_carry import carry_by_label
from console.ui.controllers.compose_checks import Check, FieldChecker, placeholders
from console.ui.controllers.preview_users import PreviewUsersController
from console.ui.controllers.templates_controller import RETIRED_KINDS, legacy_apis_enabled
from console.ui.errors import friendly_error
from console.ui.texts import compose as txt
from console.usecases.compose_checks import retired_kind_notice
from console.usecases.jobs import TEMPLATE_LIST_KIND, compose_data, render
from console.usecases.send_to_myself import OperatorUnknownError, deliver_to, operator_target

if TYPE_CHECKING:
    from console.ui.controllers.app_controller import AppController
    from console.ui.controllers.myself import SelfCandidate
    from console.ui.state import Workspace

__all__ = ["CHANNELS", "MAX_PREVIEW_RECIPIENTS", "OPTION_KEYS", "Check", "ComposeController", "OperatorUnknownError",
           "placeholders"]

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


class ComposeController(QObject):
    test_busy_changed = Signal(bool)
    test_result = Signal(bool, str)  # ok, Chinese text
    preview_changed = Signal()  # another recipient is previewed
    self_changed = Signal()  # the person picked as "我自己" changed
    draft_restored = Signal(str)  # DraftKeeper: one line saying what was restored after a restart ("" = nothing)
    carry_note = Signal(str)  # after a template switch: which filled-in fields were cleared ("" = none)

    def __init__(self, app: AppController) -> None:
        super().__init__()
        self.app = app
        self.preview_row = 0  # index into the report's recipients used for the preview and the test
        self.test_busy = False
        self._checker = FieldChecker(self)
        self.preview_users = PreviewUsersController(self)
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
        """Switch template, carrying over only the fields whose LABEL matches (never by the hidden key: thing3 of
        one template is not thing3 of another); `carry_note` says which filled-in fields were cleared."""
        template = next((t for t in self.templates_for_channel() if t.template_id == template_id), None)
        if template is self.ws.template:
            return
        old, d, cleared = self.ws.template, self.ws.draft, []
        if old is not None:
            carried = carry_by_label(old, template, d.fixed, d.column_map)
            d.fixed, d.column_map, cleared = carried.fixed, carried.column_map, carried.cleared
        self.ws.select_template(template)
        self.carry_note.emit(txt.CARRY_CLEARED.format(names=txt.LIST_SEP.join(cleared)) if cleared and template
                             else "")

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
        self._checker.clear()
        self.auto_map()

    def recipients(self) -> list[Recipient]:
        report = self.ws.report
        return list(report.recipients[:MAX_PREVIEW_RECIPIENTS]) if report is not None else []

    def preview_recipient(self) -> Recipient | None:
        people = self.recipients()
        return people[self.preview_row] if 0 <= self.preview_row < len(people) else None

    def set_preview_row(self, index: int) -> None:
        if index != self.preview_row:
            self.preview_row = index
            self.preview_changed.emit()

    def message_data(self, row: int | None = None) -> dict[str, str]:
        """What the test message (and the preview) carries: fixed values rendered for the preview recipient (or for
        the recipient at index `row`, e.g. 0 for "发送预览")."""
        d = self.ws.draft
        if row is None:
            recipient = self.preview_recipient()
        else:
            people = self.recipients()
            recipient = people[row] if 0 <= row < len(people) else None
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

    def check_field(self, f: TemplateField) -> Check:
        return self._checker.check_field(f)

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
            return txt.BLOCK_RETIRED.format(notice=retired_kind_notice(kind))
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
        """Who the test goes to: the demo operator in 演示; in 正式 the person picked as "我自己" for this account
        (else the legacy settings.operator_openid that the CLI also reads)."""
        return self.app.myself.openid()

    def choose_self(self, person: SelfCandidate | None) -> None:
        """Remember `person` as "我自己" of this account (None: forget), then self_changed."""
        self.app.tasks.spawn(self._choose_self(person), name="choose-self")

    async def _choose_self(self, person: SelfCandidate | None) -> None:
        await self.app.myself.remember(person)
        self.self_changed.emit()

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
            services = self.app.services
            openid, picked = self.operator_openid(), self.app.myself.chosen() or {}
            touser = await operator_target(services, self.kind, openid, self.ws.report,
                                           picked.get("unionid") if picked.get("openid") == openid else None)
            result = await deliver_to(services, self.ws.draft, touser, self.message_data())
        except asyncio.CancelledError:
            raise
        except OperatorUnknownError as exc:
            log.info("test message: the operator's OA openid is unknown (%s)", exc)
            self._failed(txt.NO_OA_OPENID)
        except Exception as exc:  # every failure becomes a Chinese message with a next step
            _title, message = friendly_error(exc)
            self._failed(message)
        else:
            self.ws.preview_sent_for = fingerprint
            log.info("test message sent, msgid %s", result.msgid)
            self.test_result.emit(True, txt.TEST_OK_SANDBOX if self.app.services.sandbox else txt.TEST_OK)
        finally:
            self._set_busy(False)

    def _failed(self, message: str) -> None:
        self.test_result.emit(False, txt.TEST_FAILED.format(reason=message))
        self.app.error.emit(txt.TEST_FAILED_TITLE, message)

    def _set_busy(self, busy: bool) -> None:
        self.test_busy = busy
        self.test_busy_changed.emit(busy)

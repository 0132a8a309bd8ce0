"""The checks of the 编写 page: each field's value (fixed, with `{{列名}}` placeholders, or a recipient column)
against WeChat's rules for the channel, for the previewed recipient and for every recipient of the list."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from console.core.messages import recipients as rmsg
from console.core.recipients import Recipient
from console.core.wechat.payload import CONST_TYPE
from console.core.wechat.templates import TemplateField
from console.ui.texts import compose as txt
from console.usecases.compose_checks import is_category_field, value_problem
from console.usecases.jobs import render

if TYPE_CHECKING:
    from console.ui.controllers.compose_controller import ComposeController

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")  # same syntax as console.usecases.jobs.render
_CACHE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Check:
    level: str  # "hint" (not filled yet) | "ok" | "warn" (some recipients will be left out) | "error"
    text: str


def placeholders(text: str) -> list[str]:
    return [m.group(1).strip() for m in _PLACEHOLDER.finditer(text)]


class FieldChecker:
    """Checks the draft of a ComposeController; the per-recipient results are cached until clear()."""

    def __init__(self, compose: ComposeController) -> None:
        self.compose = compose
        self._cache: dict[tuple[Any, ...], Check] = {}

    def clear(self) -> None:
        self._cache.clear()

    def check_value(self, f: TemplateField, value: str) -> Check | None:
        """An error/warning Check for one concrete value, or None when it is fine."""
        compose = self.compose
        t = compose.ws.template
        if t is None:
            return None
        problem = value_problem(compose.kind, f, value, t.enum_values.get(f.name))
        return Check(problem.level, problem.text) if problem else None

    def check_recipients(self, f: TemplateField, value_of: Callable[[Recipient], str], key: tuple[Any, ...],
                         ok_text: str) -> Check:
        """Check the value of every recipient (a mapped column or a fixed value with placeholders)."""
        compose = self.compose
        report = compose.ws.report
        assert report is not None
        key = (*key, id(report), compose.preview_row, compose.kind)
        if key in self._cache:
            return self._cache[key]
        bad: list[tuple[int, str]] = []
        preview = compose.preview_recipient()
        preview_problem: Check | None = None
        example = ""
        preview_at = compose.preview_row if preview is not None else -1
        for index, r in enumerate(report.recipients):  # fresh objects from a RecipientTable: match by position
            value = value_of(r)
            problem = self.check_value(f, value)
            if index == preview_at:
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
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        return check

    def check_field(self, f: TemplateField) -> Check:
        ws = self.compose.ws
        d, report = ws.draft, ws.report
        column = d.column_map.get(f.name)
        if column:
            if report is None:
                return Check("error", txt.COLUMN_NO_REPORT)
            if column not in report.columns:
                return Check("error", txt.COLUMN_MISSING.format(column=column))
            check = self.check_recipients(f, lambda r: r.values.get(column, ""), ("col", f.name, column),
                                          txt.COLUMN_OK)
            if check.level != "ok":
                return check
            if not report.recipients:  # no row left to take an example from (another field's column, say)
                return self._left_out(f, column) or Check("ok", txt.COLUMN_OK_NO_ROWS.format(column=column))
            return self._left_out(f, column) or check
        value = d.fixed.get(f.name)
        if value is None or not value.strip():
            if self.compose.kind == "mp" and f.type == CONST_TYPE and is_category_field(f):
                return Check("ok", "")  # a category template's const may stay empty
            return Check("hint", "")
        names = placeholders(value)
        if names and report is not None:
            unknown = [n for n in names if n not in report.columns]
            if unknown:
                return Check("warn", txt.PLACEHOLDER_UNKNOWN.format(name=unknown[0]))
            return self.check_recipients(f, lambda r: render(value, r.values), ("fix", f.name, value),
                                         txt.PLACEHOLDER_OK)
        return self.check_value(f, value) or Check("ok", "")

    def _left_out(self, f: TemplateField, column: str) -> Check | None:
        """Rows the re-check moved out of the list because this column does not fit this field: the checks above
        see only the rows still in it, so without this a column that fits no row shows an empty "如："."""
        report = self.compose.ws.report
        assert report is not None
        prefix = rmsg.field_value_invalid(rmsg.field_display(f.name, f.label), "")
        bad = [e for e in report.errors if e.reason.startswith(prefix)]
        if not bad:
            return None
        first, reason = bad[0], bad[0].reason.removeprefix(prefix)
        if not report.recipients:
            return Check("error", txt.COLUMN_FITS_NO_ROW.format(column=column, count=len(bad), row=first.row,
                                                                reason=reason))
        return Check("warn", txt.RECIPIENTS_BAD.format(count=len(bad), row=first.row, reason=reason))

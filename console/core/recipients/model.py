"""Data types of the recipient import: options, the form_id ledger protocol, the report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from console.core.messages import recipients as msg
from console.core.wechat.templates import TemplateField


@runtime_checkable
class FormIdLedger(Protocol):
    """The journal's form_id ledger: which of these form_ids were already used by any job."""

    def used_form_ids(self, form_ids: Iterable[str]) -> set[str]: ...


@dataclass(slots=True)
class ImportOptions:
    template_fields: Sequence[TemplateField] = ()
    enum_values: Mapping[str, Sequence[str]] = field(default_factory=dict)
    # template field name -> recipient column whose value fills it (header text as in the file; an
    # alias such as "name" for a "姓名" column also resolves)
    column_map: Mapping[str, str] = field(default_factory=dict)
    require_form_id: bool = False
    form_id_max_age_days: int = 7
    now: float | None = None  # epoch seconds; None = time.time() at import
    ledger: FormIdLedger | None = None
    # False for the OA channel, which maps users by unionid: a row then needs an openid, a unionid or an OA openid
    require_openid: bool = True


@dataclass(slots=True)
class Recipient:
    row: int  # the row number as Excel shows it
    openid: str  # "" for a unionid-only row (allowed only when require_openid=False)
    form_id: str | None
    unionid: str | None
    name: str | None
    form_id_issued_at: float | None  # epoch seconds
    values: dict[str, str]  # every non-identity column by its header (name included under its own header)
    # the follower's Official Account openid, from a "公众号openid" column (OA jobs send to it as it is)
    oa_openid: str | None = None


@dataclass(slots=True, frozen=True)
class RowError:
    row: int  # as Excel shows it; 0 = a problem with the whole file
    column: str  # the header text of the column ("" for a file-level problem)
    reason: str  # Chinese


@dataclass(slots=True)
class ImportReport:
    recipients: Sequence[Recipient]  # a RecipientTable from an import (compact; see store.py), or a list
    errors: list[RowError]
    duplicates: list[RowError]
    columns: list[str]  # the per-recipient value columns (keys of Recipient.values), in file order
    header_row: int  # 0 when no header was found
    encoding: str  # "utf-8", "utf-8-sig", "gb18030", "utf-16", or "xlsx"
    source_name: str
    source_sha256: str
    total_rows: int  # non-blank data rows below the header
    notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> int:
        return len(self.recipients)

    @property
    def failed(self) -> bool:
        """True when the whole file was rejected (a row-0 error): nothing was imported."""
        return any(e.row == 0 for e in self.errors)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors if e.row > 0})

    def summary(self) -> str:
        if self.failed:
            reason = next(e.reason for e in self.errors if e.row == 0)
            return msg.FILE_FAILED_SUMMARY.format(source=self.source_name, reason=reason)
        return msg.summary(self.source_name, self.total_rows, self.valid, self.error_rows,
                           len(self.duplicates), self.encoding)

"""The accounts the account dialog edits: one `AccountEntry` per mini program (with its bound Official Account), and
a list model over them for the dialog's QListView (a model, not QListWidget items: no per-item wrapper objects)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from console.core.settings import Account, Settings
from console.ui.texts import settings as t

Index = QModelIndex | QPersistentModelIndex


@dataclass(slots=True)
class AccountEntry:
    """One account as the dialog edits it. Secrets are "" unless the clerk typed one ("" keeps the stored one)."""

    name: str = ""
    appid: str = ""
    secret: str = ""
    with_oa: bool = False
    oa_name: str = ""
    oa_appid: str = ""
    oa_secret: str = ""
    original: str | None = None  # its name in the settings (None: added in this dialog): a rename keeps it active

    def appids(self) -> list[str]:
        """The appids this account uses (the OA only when bound)."""
        return [self.appid] + ([self.oa_appid] if self.with_oa and self.oa_appid else [])

    def mini_account(self) -> Account:
        return Account(self.appid, self.name, "miniprogram", oa_appid=self.oa_appid if self.with_oa else "")

    def oa_account(self) -> Account | None:
        if not self.with_oa or not self.oa_appid:
            return None
        return Account(self.oa_appid, self.oa_name or t.DEFAULT_OA_NAME_FOR.format(name=self.name), "oa")


def entries_from_settings(settings: Settings) -> list[AccountEntry]:
    """Every mini program of `settings` with the OA `Settings.oa_for` binds to it (the legacy pairing included)."""
    entries = []
    for mini in settings.mini_programs():
        oa = settings.oa_for(mini)
        entries.append(AccountEntry(name=mini.name, appid=mini.appid, with_oa=oa is not None,
                                    oa_name=oa.name if oa else "", oa_appid=oa.appid if oa else "",
                                    original=mini.name))
    return entries


def shown_appids(settings: Settings) -> set[str]:
    """The appids `entries_from_settings` shows: what the clerk can remove. (An OA no mini program is bound to is
    not shown, so saving the dialog never removes it.)"""
    return {appid for entry in entries_from_settings(settings) for appid in entry.appids()}


def describe(entry: AccountEntry, active: str | None = None) -> str:
    """The three lines the list shows for an account; `active`: the name the current account had when loaded."""
    name = entry.name.strip() or t.UNNAMED
    if active is not None and entry.original == active:
        name = t.LIST_CURRENT.format(name=name)
    oa = t.LIST_OA.format(name=entry.oa_name.strip() or t.DEFAULT_OA_NAME, appid=entry.oa_appid.strip()) \
        if entry.with_oa else t.LIST_NO_OA
    return t.LIST_ITEM.format(name=name, appid=entry.appid.strip() or t.LIST_NO_APPID, oa=oa)


class AccountsModel(QAbstractListModel):
    """The dialog's accounts, edited in place: the form changes an entry, then calls `changed(row)`."""

    def __init__(self, entries: list[AccountEntry], active: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries = entries
        self.active = active  # the current account's name in the settings (marked in the list)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return describe(self.entries[index.row()], self.active)
        return None

    def entry(self, row: int) -> AccountEntry | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def add(self, entry: AccountEntry) -> int:
        row = len(self.entries)
        self.beginInsertRows(QModelIndex(), row, row)
        self.entries.append(entry)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> AccountEntry | None:
        if not 0 <= row < len(self.entries):
            return None
        self.beginRemoveRows(QModelIndex(), row, row)
        entry = self.entries.pop(row)
        self.endRemoveRows()
        return entry

    def changed(self, row: int) -> None:
        if 0 <= row < len(self.entries):
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

"""The checks the account dialog runs before saving: AppID and AppSecret shapes, a name for every account, unique
names, unique AppIDs (an Official Account belongs to one account only), a secret for every AppID that has none stored
(unless an external token service gets the tokens). The message names the account and says what to do."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from console.ui.models.accounts_model import AccountEntry
from console.ui.texts import settings as t

APPID_RE = re.compile(r"^wx[0-9a-zA-Z]{16}$")
SECRET_RE = re.compile(r"^[0-9a-zA-Z]{32}$")


@dataclass(slots=True)
class Problem:
    row: int  # the account to show
    text: str  # Chinese: which account, what is wrong, what to do
    field: str = "name"  # "name" | "appid" | "secret" | "oa_name" | "oa_appid" | "oa_secret": where to put the cursor


def label(entry: AccountEntry, row: int) -> str:
    """How an error names the account: its name, or its place in the list while it has none."""
    name = entry.name.strip()
    return t.WHO_NAMED.format(name=name) if name else t.WHO_ROW.format(n=row + 1)


def _app_problem(appid: str, secret: str, stored: bool, need_secret: bool) -> tuple[str, str] | None:
    """(field suffix, reason) for one mini program or OA."""
    if not APPID_RE.match(appid):
        return "appid", t.ERR_APPID
    if secret and not SECRET_RE.match(secret):
        return "secret", t.ERR_SECRET_SHAPE
    if need_secret and not secret and not stored:
        return "secret", t.ERR_SECRET
    return None


def check_entry(entry: AccountEntry, row: int, saved: Mapping[str, bool], need_secret: bool) -> Problem | None:
    who = label(entry, row)
    if not entry.name.strip():
        return Problem(row, t.ACCOUNT_PROBLEM.format(who=who, problem=t.ERR_NAME), "name")
    appid = entry.appid.strip()
    found = _app_problem(appid, entry.secret.strip(), saved.get(appid, False), need_secret)
    if found is not None:
        return Problem(row, t.ACCOUNT_PROBLEM.format(who=t.WHO_MINI.format(who=who), problem=found[1]), found[0])
    if not entry.with_oa:
        return None
    oa_appid = entry.oa_appid.strip()
    found = _app_problem(oa_appid, entry.oa_secret.strip(), saved.get(oa_appid, False), need_secret)
    if found is not None:
        return Problem(row, t.ACCOUNT_PROBLEM.format(who=t.WHO_OA.format(who=who), problem=found[1]),
                       "oa_" + found[0])
    if oa_appid == appid:
        return Problem(row, t.ACCOUNT_PROBLEM.format(who=who, problem=t.ERR_SAME_APPID), "oa_appid")
    return None


def check_entries(entries: Sequence[AccountEntry], saved: Mapping[str, bool], *,
                  need_secret: bool) -> Problem | None:
    """The first problem, or None when the accounts can be saved. `saved`: appid -> a secret is stored."""
    names: dict[str, int] = {}
    appids: dict[str, int] = {}
    for row, entry in enumerate(entries):
        problem = check_entry(entry, row, saved, need_secret)
        if problem is not None:
            return problem
        name = entry.name.strip()
        if name in names:
            return Problem(row, t.ERR_DUP_NAME.format(name=name, first=names[name] + 1, second=row + 1), "name")
        names[name] = row
        for field, appid in zip(("appid", "oa_appid"), entry.appids(), strict=False):
            appid = appid.strip()
            if appid in appids:
                other = appids[appid]
                text = t.ERR_DUP_APPID.format(appid=appid, first=label(entries[other], other), second=label(entry, row))
                return Problem(row, text, field)
            appids[appid] = row
    return None

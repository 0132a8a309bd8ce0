"""The suppression list as the operator sees it — which recipients of a list refused the template before, every entry
of the account, taking entries off the list — the same for 收件人's 拒收名单 and `wxconsole suppression list/clear`.
The list itself (written by the send results) is the journal's: console/core/journal/suppression.py.

Blocking (SQLite): the shells call these through asyncio.to_thread.
"""

from __future__ import annotations

from collections.abc import Iterable

from console.core.journal import JournalRepo, SuppressionEntry


def suppressed_among(journal: JournalRepo, appid: str, template_id: str,
                     openids: Iterable[str]) -> dict[str, SuppressionEntry]:
    """The entries of `openids` on the list of (appid, template_id), by openid."""
    return journal.suppression.find(appid, template_id, openids)


def suppression_entries(journal: JournalRepo, appids: Iterable[str],
                        template_id: str | None = None) -> list[SuppressionEntry]:
    """Every entry of these appids (an account: its mini program and its OA), of one template when given; per appid
    newest first."""
    return [e for appid in dict.fromkeys(appids) for e in journal.suppression.entries(appid, template_id)]


def clear_entries(journal: JournalRepo, entries: Iterable[SuppressionEntry]) -> int:
    """Take exactly these entries off the list (the next send includes them again). Returns how many went."""
    wanted = list(entries)
    cleared = 0
    for appid, template_id in dict.fromkeys((e.appid, e.template_id) for e in wanted):
        openids = [e.openid for e in wanted if (e.appid, e.template_id) == (appid, template_id)]
        cleared += journal.suppression.clear(appid, template_id, openids)
    return cleared

"""Did it arrive: the delivery receipts WeChat pushes to the message-push receiver (console/receiver), read over its
console API, for `wxconsole status`/export, 历史 and the 结果未知 settlement (issue 18).

WeChat's receipts (official message-push pages, also cited in console/receiver/events.py):
- mini program subscribe messages, "订阅消息" → "事件推送" → subscribe_msg_sent_event: `ErrorCode` 0 = delivered;
  `ErrorStatus` fail_user_refuse = the user refused, fail_system_error = a system failure
  (https://developers.weixin.qq.com/miniprogram/dev/framework/open-ability/subscribe-message.html);
- official account template messages, "模板消息" → "事件推送" → TEMPLATESENDJOBFINISH `Status`: success |
  failed:user block | failed: system failed
  (https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Template_Message_Interface.html).
The receiver keeps them by MsgID (`POST /api/v1/deliveries`) and normalises the status: delivered | user_refused |
user_block | system_failed | other:<raw>. Per recipient the console says delivered (已送达), user_refused (用户拒收,
also the OA's user block), system_failed (系统失败, also any other error), no_receipt (未回执: sent, no event yet) —
and `unknown` when no receiver is configured or the channel has no receipts; a recipient not sent to has none (None).

Settlement (结果未知 settled by WeChat itself): an UNKNOWN item (crash, or the answer lost) for which the receiver
holds a subscribe_msg_sent_event for the same openid and template inside the item's send window (`POST
/api/v1/sent`) did reach WeChat: it becomes SENT with the event's MsgID (JournalRepo.settle_unknown), so 重发未知 /
`resume --resend-unknown` resend only the unknowns no event settled. Both front ends call settle_unknowns() before
they count what the rerun will send (usecases/rerun.py).
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

from console.core.journal import Item, ItemState, Job, JournalRepo
from console.core.messages import consent as consent_msg
from console.core.messages import delivery as msg
from console.usecases.consent import ENV_RECEIVER, ReceiverLink, ReceiverUnavailable, receiver_key, receiver_url
from console.usecases.errors import ConfigError

# The channels WeChat sends receipts for: subscribe messages (subscribe_msg_sent_event, on the mini program's push
# URL) and OA template messages (TEMPLATESENDJOBFINISH, on the OA's). form_id, customer-service and uniform sends
# have none.
RECEIPT_KINDS = frozenset({"subscribe", "mp"})
SETTLE_KINDS = frozenset({"subscribe"})  # the sent event names the template: only these can settle an unknown
OUTCOMES = ("delivered", "user_refused", "system_failed", "no_receipt")
CHUNK = 20_000  # msgids / openids per request (the receiver takes up to 200 000 and 8 MB)
TIMEOUT = 30.0
# The send window of an unknown item: from its job's creation (all items are created with the job; a minute for
# the difference between WeChat's clock and ours) to its last change (marked unknown after the request, or by the
# crash recovery) plus the time WeChat may take to deliver and push the receipt.
CLOCK_SKEW = 60
RECEIPT_DELAY = 300

InThread = Callable[..., Awaitable[Any]]


def configured_receiver(flag: str | None,
                        keyring_get: Callable[[str], str | None]) -> tuple[ReceiverLink | None, str]:
    """The receiver named by `--receiver` / WXCONSOLE_RECEIVER with its key (consent's rules), or (None, why not):
    without one everything works as before and delivery is unknown. Blocking (the keyring)."""
    if not (flag or os.environ.get(ENV_RECEIVER, "").strip()):
        return None, msg.NO_RECEIVER
    try:
        url, key = receiver_url(flag), receiver_key(keyring_get)
        return ReceiverLink(url, lambda: key), ""
    except ConfigError as exc:
        return None, str(exc)


def outcome(status: str | None) -> str:
    """The receiver's normalised status → delivered | user_refused | system_failed | no_receipt."""
    if status is None:
        return "no_receipt"
    if status == "delivered":
        return "delivered"
    if status in ("user_refused", "user_block"):
        return "user_refused"
    return "system_failed"  # system_failed and any other error the event carries


@dataclass(slots=True)
class DeliveryReport:
    """The receipts of one job: `by_item` item id → outcome (or "unknown"; SENT items only), `known` whether the
    receiver answered, `problem` the Chinese line saying why delivery is unknown."""

    known: bool
    by_item: dict[int, str] = field(default_factory=dict)
    problem: str = ""

    def of(self, item: Item) -> str | None:
        """The item's receipt key (None: not sent, so no receipt)."""
        if item.state is not ItemState.SENT:
            return None
        return self.by_item.get(item.id, "unknown") if self.known else "unknown"

    def counts(self) -> dict[str, int]:
        found = Counter(self.by_item.values())
        return {name: found.get(name, 0) for name in OUTCOMES}

    @property
    def delivered(self) -> int | None:
        return self.counts()["delivered"] if self.known else None

    def rate(self) -> float | None:
        """delivered / sent (None when unknown or nothing was sent)."""
        sent = len(self.by_item)
        return None if not self.known or not sent else self.counts()["delivered"] / sent

    def line(self) -> str:
        if not self.known:
            return self.problem
        c, rate = self.counts(), self.rate()
        return msg.RATE.format(sent=len(self.by_item), rate="-" if rate is None else f"{rate:.1%}", **c)

    def word(self, item: Item) -> str:
        key = self.of(item)
        return msg.NOT_SENT if key is None else msg.WORDS[key]


def _refused(answer: httpx.Response) -> None:
    if answer.status_code in (401, 403):
        raise ConfigError(consent_msg.ERR_KEY_REFUSED.format(status=answer.status_code))


async def _post(client: httpx.AsyncClient, url: str, key: str, path: str, body: dict[str, Any], name: str) -> Any:
    try:
        answer = await client.post(f"{url}{path}", headers={"authorization": f"Bearer {key}"}, json=body,
                                   timeout=TIMEOUT)
    except httpx.HTTPError as exc:
        raise ReceiverUnavailable(consent_msg.ERR_UNREACHABLE.format(url=url, reason=type(exc).__name__)) from None
    _refused(answer)
    try:
        value = answer.json()[name] if answer.status_code == 200 else None
    except (ValueError, KeyError, TypeError):
        value = None
    if value is None:
        raise ReceiverUnavailable(consent_msg.ERR_BAD_ANSWER.format(status=answer.status_code))
    return value


async def fetch_deliveries(client: httpx.AsyncClient, url: str, key: str, appid: str,
                           msgids: list[str]) -> dict[str, str]:
    """{msgid: receiver status} for the msgids the receiver holds a receipt of; one request per CHUNK msgids."""
    found: dict[str, str] = {}
    for start in range(0, len(msgids), CHUNK):
        answer = await _post(client, url, key, "/api/v1/deliveries",
                             {"appid": appid, "msgids": msgids[start:start + CHUNK]}, "deliveries")
        if not isinstance(answer, dict):
            raise ReceiverUnavailable(consent_msg.ERR_BAD_ANSWER.format(status=200))
        found.update({str(m): str(d.get("status")) for m, d in answer.items() if isinstance(d, dict)})
    return found


def _sent_items(journal: JournalRepo, job_id: int) -> tuple[Job, list[Item]]:
    return journal.get_job(job_id), list(journal.iter_items(job_id, {ItemState.SENT}))


async def job_deliveries(journal: JournalRepo, job_id: int, receiver: ReceiverLink | None,
                         problem: str = msg.NO_RECEIVER, *, in_thread: InThread | None = None) -> DeliveryReport:
    """The receipts of the job's sent items. Never raises for the receiver: without one, or when it cannot be asked,
    the report is not `known` and says why (the history and `status` still show everything else). `in_thread`: how
    to run the journal reads (default asyncio.to_thread; the GUI passes its tasks.in_thread)."""
    run = in_thread or asyncio.to_thread
    job, items = await run(_sent_items, journal, job_id)
    if receiver is None:
        return DeliveryReport(False, problem=problem)
    if job.spec.kind not in RECEIPT_KINDS:
        return DeliveryReport(False, problem=msg.NO_RECEIPTS_FOR_KIND)
    msgids = [str(i.msgid) for i in items if i.msgid is not None]
    try:
        key = await receiver.bearer()
        async with receiver.client() as client:
            found = await fetch_deliveries(client, receiver.url, key, job.spec.appid, msgids)
    except (ReceiverUnavailable, ConfigError) as exc:
        return DeliveryReport(False, problem=str(exc))
    return DeliveryReport(True, {i.id: outcome(found.get(str(i.msgid)) if i.msgid is not None else None)
                                 for i in items})


# ---- 结果未知 settled by WeChat -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Settled:
    """How many unknown items WeChat's receipts settled as sent; `problem`: why none could be checked ("" = fine)."""

    n: int = 0
    problem: str = ""


def _known_msgids(journal: JournalRepo, job: Job) -> set[str]:
    """The msgids this console already holds for the template (its sent items of every job of the appid and template):
    their receipts belong to those sends, never to an unknown one."""
    out: set[str] = set()
    for other in journal.list_jobs():
        if other.spec.appid == job.spec.appid and other.spec.template_id == job.spec.template_id:
            out.update(str(i.msgid) for i in journal.iter_items(other.id, {ItemState.SENT}) if i.msgid is not None)
    return out


def _unknowns(journal: JournalRepo, job_id: int) -> tuple[Job, list[Item]]:
    return journal.get_job(job_id), list(journal.iter_items(job_id, {ItemState.UNKNOWN}))


def match_receipts(job: Job, unknown: Iterable[Item], events: list[dict[str, Any]],
                   known: set[str]) -> list[tuple[Item, dict[str, Any]]]:
    """Each unknown item with the receipt that settles it: same openid (the receipt is for this template already), a
    msgid no other send of ours has, inside the item's window; one receipt settles one item, the earliest first."""
    by_openid: dict[str, list[dict[str, Any]]] = {}
    for event in sorted(events, key=lambda e: (e["time"], str(e["msgid"]))):
        if str(event["msgid"]) not in known:
            by_openid.setdefault(str(event["openid"]), []).append(event)
    start = int(job.created_at) - CLOCK_SKEW
    pairs: list[tuple[Item, dict[str, Any]]] = []
    for item in sorted(unknown, key=lambda i: i.seq):
        candidates = by_openid.get(item.openid, [])
        end = int(item.updated_at) + RECEIPT_DELAY
        hit = next((e for e in candidates if start <= int(e["time"]) <= end), None)
        if hit is not None:
            candidates.remove(hit)
            pairs.append((item, hit))
    return pairs


def _valid_events(answer: Any) -> list[dict[str, Any]]:
    if not isinstance(answer, list) or not all(
            isinstance(e, dict) and isinstance(e.get("time"), int) and e.get("openid") and e.get("msgid")
            for e in answer):
        raise ReceiverUnavailable(consent_msg.ERR_BAD_ANSWER.format(status=200))
    return answer


async def settle_unknowns(journal: JournalRepo, job_id: int, receiver: ReceiverLink | None, *,
                          in_thread: InThread | None = None) -> Settled:
    """Settle the job's UNKNOWN items that WeChat's subscribe_msg_sent_event shows went out (see the module text).
    Call it before counting a 重发未知 / `resume --resend-unknown`. Never raises for the receiver: when it cannot be
    asked, nothing is settled and `problem` says why (every unknown is resent, as before)."""
    if receiver is None:
        return Settled()
    run = in_thread or asyncio.to_thread
    job, unknown = await run(_unknowns, journal, job_id)
    if not unknown or job.spec.kind not in SETTLE_KINDS or not job.spec.template_id:
        return Settled()
    openids = list(dict.fromkeys(i.openid for i in unknown))
    since = int(job.created_at) - CLOCK_SKEW
    until = int(max(i.updated_at for i in unknown)) + RECEIPT_DELAY
    events: list[dict[str, Any]] = []
    try:
        key = await receiver.bearer()
        async with receiver.client() as client:
            for start in range(0, len(openids), CHUNK):
                body = {"appid": job.spec.appid, "template": job.spec.template_id,
                        "openids": openids[start:start + CHUNK], "since": since, "until": until}
                events += _valid_events(await _post(client, receiver.url, key, "/api/v1/sent", body, "sent"))
    except (ReceiverUnavailable, ConfigError) as exc:
        return Settled(0, msg.SETTLE_FAILED.format(reason=str(exc).rstrip(msg.FULL_STOP)))
    if not events:
        return Settled()
    known = await run(_known_msgids, journal, job)

    def settle() -> int:
        n = 0
        for item, event in match_receipts(job, unknown, events, known):
            msgid = str(event["msgid"])
            n += journal.settle_unknown(item.id, int(msgid) if msgid.isdigit() else None, float(event["time"]))
        return n

    return Settled(await run(settle))

"""Jobs: from an import report and a composed message to journaled items (`prepare_job`).

Shared by the CLI (`send`, `job`) and the GUI. Nothing is sent before the job and all its items are in the journal;
every per-recipient problem found while preparing is reported with its row number. The retired-channel guards and
running journaled jobs with the engine (`JobRunner`) are in `console.usecases.job_runner`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from console.core.job_checks import ItemChecker
from console.core.journal import JobSpec, NewItem, SuppressionEntry
from console.core.messages import jobs as msg
from console.core.messages import recipients as recipients_msg
from console.core.messages import suppression as sup_msg
from console.core.recipients import ImportReport, RowError
from console.core.wechat.client import WeChatClient
from console.core.wechat.errors import ApiError, ValidationError
from console.core.wechat.models import Template
from console.core.wechat.payload import (
    CONST_TYPE,
    FIELD_RULES,
    field_rules,
    is_typed_oa_field,
)
from console.core.wechat.template_values import OA_IGNORED_FIELDS
from console.usecases.audience import FollowerMap, map_recipients
from console.usecases.job_rows import PLACEHOLDER, FastCheck, openids, records

SEND_KINDS = ("subscribe", "mp", "custom", "weapp", "uniform")
TEMPLATE_LIST_KIND = {"subscribe": "subscribe", "mp": "mp", "weapp": "weapp", "uniform": "weapp"}
_PLACEHOLDER = PLACEHOLDER
INCLUDE_SUPPRESSED = "include_suppressed"  # JobRequest.options key: the operator sends to suppressed recipients too
# JobRequest.options key (OA jobs): the list's openid column holds OA openids (followers exported from the OA), sent
# to as they are, with no unionid mapping. A column recognised as "公众号openid" (Recipient.oa_openid) works so too.
OA_OPENIDS = "oa_openids"

# the journal's suppression list: journal.suppression.find(appid, template_id, openids) -> {openid: entry}
SuppressionLookup = Callable[[str, str, Collection[str]], Mapping[str, SuppressionEntry]]


@dataclass(slots=True)
class JobRequest:
    """What the operator composed: channel, template, fixed values and which fields come from which column."""

    kind: str
    template_id: str = ""
    fixed: dict[str, str] = field(default_factory=dict)
    column_map: dict[str, str] = field(default_factory=dict)  # template field -> recipient column
    options: dict[str, Any] = field(default_factory=dict)  # page, miniprogram_state, lang, emphasis_keyword, url …


@dataclass(slots=True)
class PreparedJob:
    spec: JobSpec
    items: list[NewItem]
    rejected: list[RowError]  # recipients left out, each with its row and a Chinese reason
    template: Template | None
    # recipients on the suppression list: left out (their rows are in `rejected` too) or, with include_suppressed,
    # kept in `items`; `suppressed_included` says which
    suppressed: list[SuppressionEntry] = field(default_factory=list)
    suppressed_included: bool = False


def render(text: str, values: Mapping[str, str]) -> str:
    """Replace `{{姓名}}`-style placeholders with the recipient's column values (unknown names stay as written)."""
    if "{{" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1).strip(), m.group(0)), text)


def compose_data(fixed: Mapping[str, str], column_map: Mapping[str, str], values: Mapping[str, str]) -> dict[str, str]:
    """The message data of one recipient: fixed values (placeholders rendered), then mapped columns."""
    data = {name: render(value, values) for name, value in fixed.items()}
    for name, column in column_map.items():
        data[name] = values.get(column, "")
    return data


async def find_template(client: WeChatClient, kind: str, template_id: str) -> Template:
    templates = await client.list_templates(TEMPLATE_LIST_KIND[kind])
    for template in templates:
        if template.template_id == template_id:
            return template
    raise ApiError(40037, f"invalid template_id {template_id}: not in this account's template list",
                   f"templates:{kind}")


def check_request(request: JobRequest, template: Template | None, columns: Sequence[str]) -> None:
    """Problems the operator must fix before any recipient is looked at (raises ValidationError with all of them)."""
    problems: dict[str, str] = {}
    if request.kind not in SEND_KINDS:
        problems["kind"] = msg.UNKNOWN_KIND.format(kind=request.kind)
    if request.kind == "custom" and not request.fixed.get("content"):
        problems["content"] = msg.CUSTOM_NEEDS_CONTENT
    known_columns = set(columns)
    for name, column in request.column_map.items():
        if column not in known_columns:
            problems[name] = msg.COLUMN_NOT_FOUND.format(column=column, columns=msg.LIST_SEP.join(columns) or "-")
    if template is not None:
        names = {f.name for f in template.fields}
        for f in template.fields:
            if f.name in request.fixed or f.name in request.column_map:
                continue
            if request.kind == "mp" and f.name in OA_IGNORED_FIELDS:
                continue
            if request.kind == "mp" and f.type == CONST_TYPE and is_typed_oa_field(f):
                continue  # a category template's const may be left empty (WeChat accepts an empty value)
            problems[f.name] = msg.FIELD_NOT_FILLED.format(label=f.label or f.name)
        for name in [*request.fixed, *request.column_map]:
            if name not in names and name not in problems:
                problems[name] = msg.FIELD_NOT_IN_TEMPLATE
    if problems:
        raise ValidationError(problems)


def placeholder_problems(request: JobRequest, columns: Sequence[str]) -> dict[str, str]:
    """Fixed values whose `{{列名}}` placeholders name a column the recipient list does not have: field -> reason.

    `render` leaves an unknown placeholder as written, so the message would carry "{{不存在}}" to every recipient
    (and fail at WeChat, or worse, be delivered so); it is the operator's typo, found before anything is sent."""
    known = set(columns)
    problems: dict[str, str] = {}
    for name, value in request.fixed.items():
        if "{{" not in value:
            continue
        missing = list(dict.fromkeys(m.group(1).strip() for m in _PLACEHOLDER.finditer(value)))
        missing = [column for column in missing if column not in known]
        if missing:
            problems[name] = recipients_msg.placeholder_columns_missing(missing, columns)
    return problems


def oa_targets(request: JobRequest, report: ImportReport, followers: FollowerMap | None
               ) -> tuple[dict[int, str], list[RowError]]:
    """OA jobs: recipient index -> OA openid, and the recipients that cannot be reached.

    A recipient's OA openid is, in this order: their "公众号openid" column (Recipient.oa_openid); their openid when
    the operator said the list holds OA openids (options[OA_OPENIDS]); else the follower of their unionid."""
    direct = bool(request.options.get(OA_OPENIDS))
    targets: dict[int, str] = {}
    to_map: list[int] = []
    for index, r in enumerate(report.recipients):
        if r.oa_openid:
            targets[index] = r.oa_openid
        elif direct and r.openid:
            targets[index] = r.openid
        else:
            to_map.append(index)
    rejected: list[RowError] = []
    if not to_map:
        return targets, rejected
    if followers is None:
        raise ValueError("OA template jobs need the follower map")
    mapping = map_recipients([(report.recipients[i].openid, report.recipients[i].unionid) for i in to_map],
                             followers)
    for k, target in mapping.targets.items():
        targets[to_map[k]] = target
    for u in mapping.unreachable:
        reason = msg.NO_UNIONID if u.reason == "no_unionid" else msg.NOT_FOLLOWING
        rejected.append(RowError(report.recipients[to_map[u.index]].row, "unionid", reason))
    return targets, rejected


def needs_follower_map(request: JobRequest, report: ImportReport) -> bool:
    """False when every recipient of an OA job already has an OA openid (no follower list needs fetching)."""
    if request.kind != "mp":
        return False
    direct = bool(request.options.get(OA_OPENIDS))
    return any(not (r.oa_openid or (direct and r.openid)) for r in report.recipients)


def suppression_reason(entry: SuppressionEntry, tz: tzinfo | None = None) -> str:
    """Why a recipient is left out, e.g. "2026-11-20 曾拒收（43101），已跳过；如确认对方已重新订阅，…"."""
    return sup_msg.REASON.format(date=datetime.fromtimestamp(entry.recorded_at, tz).strftime("%Y-%m-%d"),
                                 what=sup_msg.WHAT.get(entry.errcode, sup_msg.WHAT_OTHER), errcode=entry.errcode,
                                 again=sup_msg.AGAIN.get(entry.errcode, sup_msg.AGAIN_OTHER))


def suppression_summary(entries: Collection[SuppressionEntry], *, included: bool = False,
                        breakdown: bool = True) -> str:
    """One line such as 3 人曾拒收，将跳过 (or …，仍将发送给他们), with how many per errcode when they differ;
    "" for nobody. `entries`: one per recipient, e.g. PreparedJob.suppressed."""
    if not entries:
        return ""
    codes = Counter(e.errcode for e in entries)
    what = sup_msg.SUMMARY_WHAT.get(next(iter(codes)), sup_msg.WHAT_OTHER) if len(codes) == 1 else sup_msg.WHAT_MIXED
    summary = (sup_msg.SUMMARY_INCLUDED if included else sup_msg.SUMMARY_SKIP).format(n=len(entries), what=what)
    if not breakdown or len(codes) == 1:
        return summary
    items = sup_msg.BREAKDOWN_SEP.join(
        sup_msg.BREAKDOWN_ITEM.format(what=sup_msg.WHAT.get(code, sup_msg.WHAT_OTHER), n=n, errcode=code)
        for code, n in codes.most_common())
    return sup_msg.BREAKDOWN.format(summary=summary, items=items)


def _suppression_list(request: JobRequest, report: ImportReport, appid: str, targets: Mapping[int, str],
                      suppressed: Mapping[str, SuppressionEntry] | SuppressionLookup | None
                      ) -> Mapping[str, SuppressionEntry]:
    """openid -> entry for the recipients on the suppression list (by mini program openid or, OA jobs, OA openid)."""
    if suppressed is None:
        return {}
    if callable(suppressed):
        return suppressed(appid, request.template_id, openids(report.recipients) | set(targets.values()))
    return suppressed


def prepare_job(request: JobRequest, report: ImportReport, *, appid: str, template: Template | None,
                followers: FollowerMap | None = None,
                suppressed: Mapping[str, SuppressionEntry] | SuppressionLookup | None = None,
                include_suppressed: bool = False) -> PreparedJob:
    """Items for every good recipient; recipients whose message would break a rule are left out and listed.

    Raises ValidationError (nothing prepared) for problems of the message itself: `check_request`'s, and a fixed
    value whose placeholder names a column the list does not have (`placeholder_problems`).

    `suppressed` is the suppression list of (appid, request.template_id): a mapping openid -> entry, or the lookup
    `journal.suppression.find`. Recipients on it are left out with a reason naming the errcode and the date, unless
    `include_suppressed` or `request.options["include_suppressed"]` (the operator's override) is true."""
    check_request(request, template, report.columns)
    unknown_columns = placeholder_problems(request, report.columns)
    if unknown_columns:
        raise ValidationError(unknown_columns)
    rejected: list[RowError] = []
    items: list[NewItem] = []
    targets: dict[int, str] = {}
    if request.kind == "mp":
        targets, unreachable = oa_targets(request, report, followers)
        rejected.extend(unreachable)
    on_list = _suppression_list(request, report, appid, targets, suppressed)
    include = include_suppressed or bool(request.options.get(INCLUDE_SUPPRESSED))
    hits: list[SuppressionEntry] = []  # suppressed recipients left out, or (include) kept
    checker = ItemChecker(request.kind, request.fixed, request.column_map, template, compose_data)
    check = FastCheck(request.kind, request.fixed, request.column_map, template, checker).problem
    mp = request.kind == "mp"
    append = items.append
    # one pass over the rows (issue 15): constant fields are checked once, certainly-valid rows share one outcome
    for index, (row, openid, form_id, unionid, values) in enumerate(records(report.recipients)):
        target = targets.get(index)
        if mp and target is None:
            continue
        entry = (on_list.get(target or "") or on_list.get(openid)) if on_list else None
        if entry is not None and not include:
            hits.append(entry)
            rejected.append(RowError(row, sup_msg.REASON_COLUMN, suppression_reason(entry)))
            continue
        problem = check(row, openid, form_id, unionid, values)
        if problem is not None:
            rejected.append(problem)
            continue
        if entry is not None:
            hits.append(entry)
        append(NewItem(openid, form_id, unionid, values, row, target))
    rejected.sort(key=lambda e: e.row)
    options = dict(request.options)
    if include and hits:
        options[INCLUDE_SUPPRESSED] = True  # recorded with the job: the operator chose to send to them
    else:
        options.pop(INCLUDE_SUPPRESSED, None)
    if request.kind == "custom":  # CustomTextChannel reads the text (with {{column}} placeholders) from options
        options["content"] = request.fixed.get("content", "")
    if template is not None and (rules := field_rules(request.kind, template.fields, template.enum_values)):
        options[FIELD_RULES] = rules  # the engine checks each message again right before sending it
    spec = JobSpec(kind=request.kind, appid=appid, template_id=request.template_id,
                   template_title=template.title if template else "", fields=dict(request.fixed),
                   column_map=dict(request.column_map), options=options,
                   source_name=report.source_name, source_sha256=report.source_sha256)
    return PreparedJob(spec=spec, items=items, rejected=rejected, template=template,
                       suppressed=hits, suppressed_included=include and bool(hits))

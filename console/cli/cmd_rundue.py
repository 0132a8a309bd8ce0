"""`wxconsole run-due` (for cron / Windows Task Scheduler): send the scheduled jobs whose time has come.

Without --account (and without $WXCONSOLE_ACCOUNT or an appid by flag/environment) it serves every configured
account: each due job runs with the services of the account that owns its appid (console.usecases.schedule.owner_of), so
a job is never sent with another account's credentials; a due job no configured account owns is skipped and reported.
With an account chosen (and always in --sandbox) only that account's due jobs run. Quiet hours hold everything.
Before a job runs, its account's access_token is fetched: when that fails (no or a wrong secret, a token service
error) nothing is sent, the job stays scheduled (READY) for the next run-due, and the reason is in "errors".
Two operators: right before it runs, each job is checked like a new send (console.usecases.overlap.check_job_overlap:
this computer's journal and the Redis overlap). A job whose recipients got the same template within the window is
held: not sent, taken off the schedule (still READY: `resume` sends it after a person has checked; never picked up
again by itself), listed in "held", exit code 7 — unless `--send-overlapping`.
Exit code: the most serious of its jobs' (worst_exit); 9 when a job it ran finished with failed or unknown recipients
and nothing else went wrong. A stop signal (a scheduler's timeout: SIGTERM; SIGHUP; Ctrl-C) stops the running job like
`send` does (in-flight sends recorded, the rest pending) and no further job starts (7)."""

from __future__ import annotations

import argparse
import sys
from contextlib import AsyncExitStack
from typing import Any

from console.app import Services
from console.cli.cmd_schedule import quiet_hours
from console.cli.jobflow import run_job
from console.cli.output import (
    EXIT_CONFIG,
    EXIT_JOB_INCOMPLETE,
    EXIT_JOB_NOT_FINISHED,
    EXIT_OK,
    ConfigError,
    Output,
    report_failure,
)
from console.cli.runtime import account_services, chooses_account, cli_services
from console.core.journal import Job, JobState
from console.core.journal.runlock import JobBusyError
from console.core.messages import schedule as msg
from console.core.secrets import SecretMissingError, SecretStoreError
from console.core.settings import Account
from console.core.wechat.errors import WeChatError
from console.core.wechat.tokens import TokenServiceError
from console.usecases.history import job_of
from console.usecases.run_due import check_due_job, hold, plan_due, still_waiting
from console.usecases.schedule import account_label, format_time, owner_of


def worst_exit(current: int, new: int) -> int:
    """run-due's exit code over its jobs: the most serious one; 9 (a job finished with failed or unknown
    recipients) only when nothing else went wrong, since the others (not sent, held, no secret) need a person first."""
    if current in (EXIT_OK, EXIT_JOB_INCOMPLETE):
        return new if new != EXIT_OK else current
    if new in (EXIT_OK, EXIT_JOB_INCOMPLETE):
        return current
    return max(current, new)


class _Collector(Output):
    """run_job's output for `run-due`: in --json mode the summaries are gathered into one {"ran": [...]} object
    (and errors into "errors") instead of one JSON line each; in text mode everything prints as usual."""

    def __init__(self, out: Output) -> None:
        super().__init__(json_mode=out.json_mode, home=out.home)
        self.ran: list[dict[str, Any]] = []
        self.errors: list[dict[str, Any]] = []
        self.held: list[dict[str, Any]] = []
        self.job: int | None = None

    def emit(self, obj: Any, text: str | None = None) -> None:
        if isinstance(obj, dict):
            self.ran.append(obj)
        if not self.json_mode:
            super().emit(obj, text)

    def error(self, line: str, *, errcode: int, errmsg: str = "", **extra: Any) -> None:
        self.errors.append({"job": self.job, "errcode": errcode, "message": line, **extra})
        if not self.json_mode:
            super().error(line, errcode=errcode, errmsg=errmsg, **extra)

    def hold(self, job: int, overlap: int, line: str, account: str) -> None:
        """A job held back because it would repeat a recent send: said at once on stderr (a warning, in both modes)
        and listed in "held"."""
        self.held.append({"job": job, "overlap": overlap, "message": line, "account": account})
        print(line, file=sys.stderr, flush=True)


class _Failure(Output):
    """Catches the one error line report_failure writes, to be said again with the job and its account."""

    def __init__(self) -> None:
        super().__init__(json_mode=True)
        self.line, self.errcode, self.errmsg = "", 0, ""
        self.extra: dict[str, Any] = {}

    def error(self, line: str, *, errcode: int, errmsg: str = "", **extra: Any) -> None:
        self.line, self.errcode, self.errmsg, self.extra = line, errcode, errmsg, extra


async def _token_problem(services: Services, job: Job, label: str, out: Output, *, own: bool) -> int:
    """Fetch the access_token the job will send with (cached for its run). 0 when it is there; otherwise the error is
    reported (the job is left as it is: READY, still scheduled) and the exit code returned. `own`: the command's own
    account (the only one that may use the generic $WXCONSOLE_APPSECRET)."""
    client = services.client_for(job.spec.kind)
    if client is None:
        return 0  # run_job says which account is missing
    try:
        await client.tokens.token()
    except (SecretStoreError, WeChatError) as exc:
        failure = _Failure()
        if isinstance(exc, SecretMissingError) and not own:
            failure.error(msg.DUE_NO_SECRET_OTHER.format(appid=exc.appid), errcode=41004)
            code = EXIT_CONFIG
        else:
            code = report_failure(ConfigError(str(exc)) if isinstance(exc, TokenServiceError) else exc, failure)
        reason = failure.line.rstrip(msg.FULL_STOP)
        out.error(msg.DUE_NO_TOKEN.format(job=job.id, account=label, reason=reason), errcode=failure.errcode,
                  errmsg=failure.errmsg, account=label, **failure.extra)
        return code
    return 0


def _resume_command(args: argparse.Namespace, services: Services, job: Job) -> str:
    """The command that sends a held job by hand, with the option that picks its account."""
    if args.sandbox:
        options = " --sandbox"
    else:
        owner = owner_of(services.settings, job.spec.appid)
        name = owner.name if owner is not None else ""
        if " " in name:
            name = f'"{name}"'
        options = f" --account {name}" if name else ""
    return msg.RESUME_COMMAND.format(options=options, job=job.id)


async def _overlap_check(args: argparse.Namespace, services: Services, job: Job, label: str, collector: _Collector,
                         out: Output) -> dict[str, Any] | None:
    """Two operators (usecases.run_due.check_due_job): whether the job's recipients got the same template a moment
    ago (this computer or, with a Redis overlap, another one). None when the job must not run now: held (taken off
    the schedule, kept READY, reported) or no longer waiting. Otherwise the keys its summary gets ("overlap",
    "overlap_shared_checked")."""
    journal = services.journal
    now = services.clock.now()
    check = await check_due_job(journal, services.redis_overlap, job.id, now, send_overlapping=args.send_overlapping)
    if check.job is None:  # cancelled or started meanwhile
        return None
    overlap = check.overlap
    warning = overlap.warning(now)
    extra: dict[str, Any] = {"overlap": overlap.count}
    if overlap.shared_checked is not None:
        extra["overlap_shared_checked"] = overlap.shared_checked
    if check.held:
        current = hold(journal, job.id)  # kept (READY) for a person to check; never due again
        if current is None:  # cancelled or started meanwhile
            return None
        line = msg.DUE_HELD_OVERLAP.format(job=job.id, account=label, title=current.spec.template_title
                                           or current.spec.template_id, total=current.total, warning=warning,
                                           resume=_resume_command(args, services, current))
        collector.hold(job.id, overlap.count, line, label)
        return None
    if overlap.count:
        out.text(msg.DUE_SENT_OVERLAPPING.format(job=job.id, warning=warning))
    elif warning:  # the Redis overlap could not be read: only this computer was checked
        out.text(msg.DUE_SHARED_UNCHECKED.format(job=job.id, note=warning))
    return extra


class _AccountPool:
    """The services each due job runs with: the command's own for its account (or for every job when one account
    is chosen), else built once per owning account and closed when run-due ends."""

    def __init__(self, args: argparse.Namespace, services: Services, stack: AsyncExitStack, *, every: bool) -> None:
        self.args = args
        self.services = services
        self.stack = stack
        self.every = every
        self._built: dict[str, Services | ConfigError] = {}  # mini program appid -> services, or why not

    def owns(self, appid: str) -> bool:
        """Whether run-due may run jobs of `appid` here: its account is configured (every account) or the chosen
        one."""
        if self.every:
            return owner_of(self.services.settings, appid) is not None
        return self.services.owns(appid)

    async def services_for(self, job: Job) -> Services:
        """The services of the job's account; raises ConfigError when they cannot be built (said once per account,
        then again for each of its jobs)."""
        if not self.every:
            return self.services
        owner = owner_of(self.services.settings, job.spec.appid)
        assert owner is not None  # unowned jobs are skipped before
        if self.services.appids == self.services.settings.appids_of(owner):
            return self.services
        built = self._built.get(owner.appid)
        if built is None:
            built = await self._build(owner)
            self._built[owner.appid] = built
        if isinstance(built, ConfigError):
            raise built
        return built

    async def _build(self, owner: Account) -> Services | ConfigError:
        try:
            return await self.stack.enter_async_context(account_services(self.args, self.services.settings, owner))
        except ConfigError as exc:
            return exc


async def cmd_run_due(args: argparse.Namespace, out: Output) -> int:
    """Run every scheduled job whose time has come, one after another, through the same path as `resume`."""
    quiet = quiet_hours(args)
    async with cli_services(args) as services, AsyncExitStack() as stack:
        settings = services.settings
        every = not chooses_account(args) and bool(settings.mini_programs())
        pool = _AccountPool(args, services, stack, every=every)
        journal = services.journal
        plan = plan_due(journal, services.clock.now(), quiet, pool.owns)
        due = plan.all if every else plan.due  # every account: unowned ones are reported
        others = [] if every else [job.id for job in plan.not_owned]  # not the chosen account's
        if others:
            out.text(msg.OTHER_ACCOUNTS_DUE.format(n=len(others)))
        extra = {"other_accounts": others} if others else {}
        if plan.quiet or not due:
            waiting = [job.id for job in plan.due] if plan.quiet else []
            text = (msg.QUIET_NOW.format(quiet=quiet, count=len(waiting), allowed=format_time(plan.next_allowed))
                    if waiting else msg.NOTHING_DUE)
            out.emit({"ran": [], **({"waiting": waiting} if waiting else {}), **extra}, text)
            return 0
        collector = _Collector(out)
        code = 0
        for job in due:
            if not still_waiting(job_of(journal, job.id)):  # cancelled or started by someone else meanwhile
                continue
            collector.job = job.id
            if not pool.owns(job.spec.appid):  # no configured account owns its appid: never send it as another account
                collector.error(msg.DUE_WITHOUT_ACCOUNT.format(job=job.id, appid=job.spec.appid), errcode=40013,
                                appid=job.spec.appid)
                code = worst_exit(code, EXIT_CONFIG)
                continue
            label = account_label(settings, job.spec.appid)
            try:
                job_services = await pool.services_for(job)
            except ConfigError as exc:
                collector.error(str(exc), errcode=exc.errcode, account=label)
                code = worst_exit(code, EXIT_CONFIG)
                continue
            own = job_services is services
            if problem := await _token_problem(job_services, job, label, collector, own=own):  # nothing sent: READY
                code = worst_exit(code, problem)
                continue
            held = len(collector.held)
            checked = await _overlap_check(args, job_services, job, label, collector, out)
            if checked is None:  # held (a person decides: exit 7, like a job left unfinished) or no longer waiting
                if len(collector.held) > held:
                    code = worst_exit(code, EXIT_JOB_NOT_FINISHED)
                continue
            out.text(msg.RUNNING_DUE.format(job=job.id, account=label, at=format_time(job.scheduled_at or 0.0)))
            try:
                code = worst_exit(code, await run_job(job_services, job.id, args, collector,
                                                      extra={"account": label, **checked}))
            except JobBusyError:
                out.text(msg.JOB_BUSY_SKIPPED.format(job=job.id))
                continue
            if collector.ran and collector.ran[-1].get("state") == JobState.CANCELLED:  # a stop signal: stop here
                break
    result: dict[str, Any] = {"ran": collector.ran}
    if collector.held:
        result["held"] = collector.held
    if collector.errors:
        result["errors"] = collector.errors
    out.emit({**result, **extra})
    return code

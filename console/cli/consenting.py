"""Consent in `send` / `job` and their `--dry-run` (issue 18): with `--receiver URL` (or WXCONSOLE_RECEIVER) the
rows without a subscription consent are left out of a subscribe message — the window's import page does the same
through the same use case (console/usecases/consent.py: consent_for_job, called by usecases/prepare.py and
usecases/dryrun.py) — unless `--include-without-consent`. Without a receiver nothing changes.

`--json` gains `consent` ({"with_consent", "without_consent", "unknown"}, or null when the receiver could not be
asked), `consent_note` (the Chinese line), `left_out_without_consent` and `include_without_consent`.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from console.app import Services
from console.core.messages import consent as msg
from console.usecases.consent import (
    ENV_RECEIVER,
    INCLUDE_WITHOUT_CONSENT,
    ConsentCheck,
    ReceiverLink,
    receiver_key,
    receiver_url,
)
from console.usecases.errors import ConfigError
from console.usecases.secrets import keyring_store


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--receiver", default=None, metavar="URL", help=msg.HELP_SEND_RECEIVER)
    p.add_argument("--include-without-consent", action="store_true", help=msg.HELP_INCLUDE_WITHOUT)


def option(args: argparse.Namespace, options: dict[str, object]) -> None:
    """The operator's override, as the window records it (JobRequest.options)."""
    if getattr(args, "include_without_consent", False):
        options[INCLUDE_WITHOUT_CONSENT] = True


def _link(url: str) -> ReceiverLink:
    store = keyring_store()

    def key() -> str | None:  # read when used: no key -> consent unknown, said in one line, everybody is sent to
        try:
            return receiver_key(store.get)
        except ConfigError:
            return None

    return ReceiverLink(url, key)


def attach_receiver(services: Services, args: argparse.Namespace) -> bool:
    """Point the services at the receiver named by `--receiver` / WXCONSOLE_RECEIVER; False (nothing changed) when
    none is named."""
    if not (getattr(args, "receiver", None) or os.environ.get(ENV_RECEIVER, "").strip()):
        return False
    services.receiver = _link(receiver_url(args.receiver))
    return True


def consent_keys(check: ConsentCheck | None, include: bool) -> dict[str, Any]:
    """The `--json` keys (only when a receiver is named and the message is a subscribe message)."""
    if check is None:
        return {}
    left_out = 0 if include else len(check.without_rows())
    counts = None
    if check.report is not None:
        counts = {name: check.report.count(name) for name in ("with_consent", "without_consent", "unknown")}
    return {"consent": counts, "consent_note": check.line(include), "left_out_without_consent": left_out,
            "include_without_consent": include}


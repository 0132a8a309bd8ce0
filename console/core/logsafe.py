"""Log redaction: no access_token, appsecret, session_key or js_code ever reaches a log handler.

`install_log_redaction()` puts a `RedactingFilter` on every handler of the root logger (so records from any
logger are cleaned before they are written) and on the `httpx`/`httpcore` loggers themselves (so httpx's
"HTTP Request: POST https://…?access_token=…" line loses its query string before anything else sees it).
The filter formats the record, redacts the text, and stores the result as a plain message without arguments.
"""

from __future__ import annotations

import logging
import re

REDACTED = "***"

# key=value / "key": "value" / 'key': 'value' / key='value' (dataclass repr) for the sensitive keys.
_SENSITIVE_KEYS = r"access_token|refresh_token|component_access_token|app_?secret|secret|session_?key|js_code"
_KEY_VALUE = re.compile(
    rf"""(?ix)
    (?<![A-Za-z0-9])({_SENSITIVE_KEYS})   # the key
    (["']?\s*[:=]\s*["']?)                # separator, with optional quotes
    ([^\s&"',;)}}\]]+)                    # the value
    """
)
# Any URL's query string (tokens and secrets travel there).
_URL_QUERY = re.compile(r"""(?i)(\b(?:https?|wss?)://[^\s?#"'<>]+)\?[^\s#"'<>]*""")
# Anything that looks like a token: a long unbroken run of token characters (WeChat tokens are 100-512 chars).
_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9_\-*])[A-Za-z0-9_\-]{80,}(?![A-Za-z0-9_\-])")

HTTP_LOGGERS = ("httpx", "httpcore")


def redact(text: str) -> str:
    """Return `text` with sensitive values, URL query strings and token-like strings replaced."""
    if not text:
        return text
    text = _URL_QUERY.sub(lambda m: f"{m.group(1)}?{REDACTED}", text)
    text = _KEY_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _LONG_TOKEN.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """A filter that never drops a record; it rewrites its message (and traceback text) redacted."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_wxconsole_redacted", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the template only, never the arguments
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record._wxconsole_redacted = True
        return True


def install_log_redaction(*, quiet_httpx: bool = False) -> RedactingFilter:
    """Install one shared `RedactingFilter` on the root handlers and the httpx/httpcore loggers. Idempotent.

    Call it after logging is configured (handlers added later are not covered, except through the httpx
    loggers).
    `quiet_httpx=True` also raises the httpx/httpcore loggers to WARNING (one INFO line per request is noise).
    Returns the filter, so `remove_log_redaction(f)` can undo it (tests).
    """
    existing = _find_installed()
    flt = existing or RedactingFilter()
    targets: list[logging.Handler | logging.Logger] = [*logging.getLogger().handlers]
    if logging.lastResort is not None:
        targets.append(logging.lastResort)
    targets += [logging.getLogger(name) for name in HTTP_LOGGERS]
    for target in targets:
        if flt not in target.filters:
            target.addFilter(flt)
    if quiet_httpx:
        for name in HTTP_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
    return flt


def remove_log_redaction(flt: RedactingFilter) -> None:
    targets: list[logging.Handler | logging.Logger] = [*logging.getLogger().handlers]
    if logging.lastResort is not None:
        targets.append(logging.lastResort)
    targets += [logging.getLogger(name) for name in HTTP_LOGGERS]
    for target in targets:
        target.removeFilter(flt)


def _find_installed() -> RedactingFilter | None:
    for flt in logging.getLogger(HTTP_LOGGERS[0]).filters:
        if isinstance(flt, RedactingFilter):
            return flt
    return None

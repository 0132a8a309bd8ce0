"""The compose draft of an account, kept across restarts: `<data dir>/drafts/<account key>.json`, owner-only (0600
in a 0700 folder), written atomically on every change (the GUI debounces) and read at start.

A draft holds what the clerk prepared: the channel, the template, each field's fixed text or list column, the options,
and the imported list's path (the list itself is read again from that file, never copied here). No secret, no token.
A missing or unreadable draft is simply no draft (logged): it must never stop the program from starting."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from console.core.paths import private_dir, tighten_mode

log = logging.getLogger(__name__)

DRAFTS_DIR = "drafts"
DRAFT_VERSION = 1
PRIVATE_FILE_MODE = 0o600
_SAFE_KEY = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(slots=True)
class Draft:
    kind: str = "subscribe"
    template_id: str = ""
    fixed: dict[str, str] = field(default_factory=dict)
    column_map: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    list_path: str = ""  # the imported recipient file ("" = none)
    sent_job: int = 0  # the job this very draft was sent as (0: not sent yet; any change clears it)

    def is_empty(self) -> bool:
        return not (self.template_id or self.fixed or self.column_map or self.list_path)

    def to_dict(self) -> dict[str, Any]:
        return {"version": DRAFT_VERSION, **asdict(self)}

    @classmethod
    def from_dict(cls, data: Any) -> Draft | None:
        if not isinstance(data, dict):
            return None
        kind, template_id, list_path = data.get("kind"), data.get("template_id", ""), data.get("list_path", "")
        fixed, column_map, options = data.get("fixed", {}), data.get("column_map", {}), data.get("options", {})
        if not (isinstance(kind, str) and isinstance(template_id, str) and isinstance(list_path, str)):
            return None
        if not (_str_map(fixed) and _str_map(column_map) and isinstance(options, dict)):
            return None
        sent_job = data.get("sent_job", 0)
        sent = sent_job if isinstance(sent_job, int) and not isinstance(sent_job, bool) and sent_job > 0 else 0
        return cls(kind, template_id, dict(fixed), dict(column_map), dict(options), list_path, sent)


def _str_map(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def draft_path(data_dir: Path, key: str) -> Path:
    """The draft file of the account `key` (an appid, or "sandbox")."""
    return data_dir / DRAFTS_DIR / f"{_SAFE_KEY.sub('_', key) or 'default'}.json"


def save_draft(data_dir: Path, key: str, draft: Draft) -> None:
    """Write atomically (temp file, fsync, replace), owner-only. Raises StorageError / OSError on failure."""
    path = draft_path(data_dir, key)
    private_dir(path.parent)
    text = json.dumps(draft.to_dict(), ensure_ascii=False, indent=1) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".draft-", suffix=".tmp")  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    tighten_mode(path, PRIVATE_FILE_MODE)


def load_draft(data_dir: Path, key: str) -> Draft | None:
    """The saved draft of `key`, or None (none saved, or the file is unreadable: logged, never raised)."""
    path = draft_path(data_dir, key)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("draft %s unreadable: %s", path.name, type(exc).__name__)
        return None
    draft = Draft.from_dict(data)
    if draft is None:
        log.warning("draft %s has an unexpected shape; ignored", path.name)
    return draft

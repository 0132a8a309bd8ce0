"""console/core/drafts.py: a compose draft per account, owner-only, atomic; an unreadable one is no draft."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

from console.core.drafts import Draft, draft_path, load_draft, save_draft


def test_round_trip_per_account_owner_only(tmp_path: Path) -> None:
    draft = Draft("mp", "tpl-1", {"first": "通知"}, {"keyword1": "姓名"}, {"url": "https://example.com"},
                  str(tmp_path / "名单.xlsx"))
    save_draft(tmp_path, "wx1234567890abcdef", draft)
    save_draft(tmp_path, "sandbox-wx0000000000000000", Draft())
    assert load_draft(tmp_path, "wx1234567890abcdef") == draft
    assert load_draft(tmp_path, "sandbox-wx0000000000000000") == Draft()
    assert load_draft(tmp_path, "wxother") is None
    path = draft_path(tmp_path, "wx1234567890abcdef")
    if sys.platform != "win32":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not list(path.parent.glob(".draft-*"))  # no temp file left behind


def test_a_damaged_or_foreign_file_is_no_draft(tmp_path: Path) -> None:
    path = draft_path(tmp_path, "wx1")
    path.parent.mkdir(parents=True)
    for text in ("{not json", "[]", '{"kind": 3}', '{"kind": "subscribe", "fixed": {"a": 1}}'):
        path.write_text(text, encoding="utf-8")
        assert load_draft(tmp_path, "wx1") is None


def test_keys_cannot_leave_the_drafts_folder(tmp_path: Path) -> None:
    path = draft_path(tmp_path, "../../etc/passwd")
    assert path.parent == tmp_path / "drafts" and "/" not in path.name

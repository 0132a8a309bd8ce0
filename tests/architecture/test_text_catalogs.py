"""Chinese user-facing text lives in the catalogs only (console/core/messages, console/ui/texts) — plus the
simulator, whose seed data and errmsgs are Chinese by nature. Identifiers, comments and logs elsewhere are English."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import console

ROOT = Path(console.__file__).resolve().parent
CATALOGS = (ROOT / "core" / "messages", ROOT / "ui" / "texts", ROOT / "sim")
# Modules whose Chinese literals are input-format data, not UI text: header aliases of recipient files, date and
# amount formats (年月日, 元, ￥), the full-width punctuation of template labels.
INPUT_FORMAT_DATA = {"core/recipients/headers.py", "core/recipients/formtime.py", "core/recipients/fastpath.py",
                     "core/wechat/payload.py", "core/wechat/payload_rules.py", "core/wechat/templates.py",
                     "core/journal/export.py"}  # export: the name-column aliases of recipient files
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _offending_tokens(path: Path) -> list[str]:
    found = []
    source = path.read_text(encoding="utf-8")
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        # comments and docstrings may quote Chinese examples; plain string literals are UI text
        if tok.type == tokenize.STRING and not tok.string.lstrip("rbuRBUfF").startswith(('"""', "'''")) \
                and CJK.search(tok.string):
            found.append(f"{path.relative_to(ROOT)}:{tok.start[0]}: {tok.string[:60]}")
    return found


def test_chinese_text_only_in_catalogs() -> None:
    offenders: list[str] = []
    files = [p for p in ROOT.rglob("*.py") if not any(c in p.parents for c in CATALOGS)
             and str(p.relative_to(ROOT)) not in INPUT_FORMAT_DATA]
    assert len(files) > 20
    for path in files:
        offenders += _offending_tokens(path)
    assert offenders == []

"""Conservative pre-filters for per-recipient template values.

`console.core.wechat.payload.validate_value` is the authority on the field rules. For 100 000 rows it costs a
few microseconds per distinct value, too much for the import budget, so the import first tries these patterns:
each one matches only values that are certainly valid under the documented rule (wechat-api.md), i.e. a strict
subset of what `validate_value` accepts; anything else goes to `validate_value`. A property test
(tests/core/recipients/test_recipients_fastpath.py) checks the subset relation against the live payload code, so
a stricter rule there shows up as a failing test instead of a silent divergence.
"""

from __future__ import annotations

import re

_HAN = "\u4e00-\u9fff"
_CURRENCY = "¥￥$€£"
_PUNCT = "\u3001-\u3011\uff01-\uff5e"  # 、。〃〄々〆〇〈〉《》「」『』【】 and the full-width ASCII forms

FAST_VALID: dict[str, re.Pattern[str]] = {
    # <= 20 of: printable ASCII, common Chinese characters, CJK and full-width punctuation (，。：（）…), not starting
    # with a space (the thing rule is the general rules and the length only: payload_rules)
    "thing": re.compile(rf"[!-~{_HAN}{_PUNCT}][ -~{_HAN}{_PUNCT}\u3000]{{0,19}}"),
    "short_thing": re.compile(rf"[!-~{_HAN}{_PUNCT}][ -~{_HAN}{_PUNCT}\u3000]{{0,4}}"),
    # <= 32 printable ASCII characters without spaces (no Chinese)
    "character_string": re.compile(r"[!-~]{1,32}", re.ASCII),
    "number": re.compile(r"\d{1,16}(?:\.\d{1,16})?", re.ASCII),
    "amount": re.compile(rf"[{_CURRENCY}]?[0-9]{{1,8}}(?:\.[0-9]{{1,2}})?元?"),
    "letter": re.compile(r"[A-Za-z]{1,32}", re.ASCII),
    "phone_number": re.compile(r"\+?\d[\d-]{0,15}", re.ASCII),
    # 1-10 Chinese characters, or 1-20 ASCII letters
    "name": re.compile(rf"[{_HAN}]{{1,10}}|[A-Za-z]{{1,20}}"),
    "phrase": re.compile(rf"[{_HAN}]{{1,5}}"),
}

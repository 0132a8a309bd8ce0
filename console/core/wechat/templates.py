"""Template `content` parsing: `"会议时间:{{date2.DATA}}\\n会议地点:{{ thing1.DATA }}"` -> typed fields."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\.\s*DATA\s*\}\}")
_TRAILING_DIGITS = re.compile(r"\d+$")
_LABEL_PUNCT = " \t\u3000:：;；"
_LINES = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class TemplateField:
    name: str  # placeholder name without ".DATA", e.g. "thing1"
    type: str  # the name with trailing digits stripped, e.g. "thing"; "keyword" for OA/legacy keywordN
    label: str  # the text left of the placeholder on its line, e.g. "会议地点"


def field_type(name: str) -> str:
    """`thing1` -> `thing`, `character_string8` -> `character_string`."""
    return _TRAILING_DIGITS.sub("", name)


def parse_content(content: str) -> list[TemplateField]:
    """Every `{{name.DATA}}` placeholder in order of appearance, each once."""
    fields: list[TemplateField] = []
    seen: set[str] = set()
    for line in _LINES.split(content or ""):
        pos = 0
        for m in _PLACEHOLDER.finditer(line):
            name = m.group(1)
            label = line[pos:m.start()].strip(_LABEL_PUNCT)
            pos = m.end()
            if name in seen:
                continue
            seen.add(name)
            fields.append(TemplateField(name=name, type=field_type(name), label=label))
    return fields


_EXAMPLE_SEPARATORS = (":", "\uff1a")  # a template example's "label:value" lines, ASCII or full-width colon


def example_by_label(example: str) -> dict[str, str]:
    """A template's `example` ("会议时间:2026年3月1日 14:00" per line) as label -> value. The first colon of either
    kind separates (a value may hold more: "时间：10:30"); the first line of a label wins."""
    values: dict[str, str] = {}
    for line in _LINES.split(example or ""):
        cuts = [i for i in (line.find(sep) for sep in _EXAMPLE_SEPARATORS) if i >= 0]
        if not cuts:
            continue
        label, value = line[:min(cuts)].strip(), line[min(cuts) + 1:].strip()
        if label and value:
            values.setdefault(label, value)
    return values

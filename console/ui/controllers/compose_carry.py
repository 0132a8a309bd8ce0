"""Switching template carries the clerk's work over by field LABEL, never by the hidden key (thing3 of one template
is not thing3 of another: 会议主题 must not silently become 缴费项目)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from console.core.wechat.models import Template


@dataclass(slots=True)
class Carried:
    fixed: dict[str, str] = field(default_factory=dict)
    column_map: dict[str, str] = field(default_factory=dict)
    cleared: list[str] = field(default_factory=list)  # labels of filled-in fields the new template has not


def carry_by_label(old: Template, new: Template | None, fixed: Mapping[str, str],
                   column_map: Mapping[str, str]) -> Carried:
    """The old template's filled-in fields under the new template's keys where the labels match."""
    result = Carried()
    by_label = {f.label: f.name for f in new.fields if f.label} if new is not None else {}
    for f in old.fields:
        value, column = fixed.get(f.name, ""), column_map.get(f.name)
        if not column and not value.strip():
            continue
        target = by_label.get(f.label) if f.label else None
        if target is None:
            result.cleared.append(f.label or f.name)
        elif column:
            result.column_map[target] = column
        else:
            result.fixed[target] = value
    return result

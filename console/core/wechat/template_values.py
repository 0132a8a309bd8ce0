"""Values for a template's fields that nobody typed: the template's own example (the card preview, the compose
page's hints) and a complete sample (the demo, the pre-flight test message, selftest). One place for both, so the GUI
and the CLI show the same values."""

from __future__ import annotations

from console.core.messages import cli as cli_msg
from console.core.wechat.models import Template
from console.core.wechat.templates import example_by_label

# An OA template's first/remark are no longer shown by WeChat since 2023-05-04 (shared wechat-api.md, OA template
# messages: "no longer shows `first`/`remark`").
OA_IGNORED_FIELDS = ("first", "remark")


def example_values(template: Template) -> dict[str, str]:
    """The template's own example, by field name (example lines are `label:value`, matched by label)."""
    by_label = example_by_label(template.example)
    return {f.name: by_label[f.label] for f in template.fields if f.label and f.label in by_label}


def sample_data(template: Template) -> dict[str, str]:
    """A value for every field: the template's example where it has one, an approved/enum value, else a valid sample
    of the field's type; an OA template's first/remark are left out."""
    examples = example_by_label(template.example)
    data: dict[str, str] = {}
    for f in template.fields:
        if template.kind == "mp" and f.name in OA_IGNORED_FIELDS:
            continue
        if f.name in template.enum_values:
            data[f.name] = template.enum_values[f.name][0]
        else:
            data[f.name] = examples.get(f.label) or cli_msg.DEMO_SAMPLE_VALUES.get(f.type, cli_msg.DEMO_SAMPLE_TEXT)
    return data

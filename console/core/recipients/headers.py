"""Header recognition: Chinese and English aliases, title-row skipping, duplicate and unnamed columns.

Decisions:
- A header cell is normalised before matching: NFKC (full-width letters become ASCII), bracketed
  remarks removed ("openid（必填）"), case folded, spaces/underscores/hyphens/dots/colons dropped. So
  `OpenID`, `open_id`, `用户 OpenID`, `ＯＰＥＮＩＤ` all match `openid`.
- The header row is the first row, among the first HEADER_SEARCH_ROWS rows, that has a cell matching
  an openid alias (or, when openid is optional, a unionid alias). Rows above it (a title such as
  "2024年3月通知名单", blank rows) are skipped and named in a note.
- Two columns with the same identity role (openid, form_id, unionid) are a file-level error:
  guessing which one holds the right data could send to the wrong people. For name and the form_id
  time the first column wins.
- Other columns are per-recipient values under their header text. A repeated header gets a suffix
  "(2)", "(3)"; a column with data but no header is named after its Excel letter ("F列"); empty
  unnamed columns (trailing commas that Excel writes) are dropped silently.
- The form_id time column is recognised only when there is a form_id column. Its value, like the
  name, also stays in the values (it may fill a keyword).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from console.core.messages import recipients as msg

HEADER_SEARCH_ROWS = 10

OPENID = "openid"
FORM_ID = "form_id"
UNIONID = "unionid"
NAME = "name"
FORM_ID_TIME = "form_id_time"
OA_OPENID = "oa_openid"  # a follower's Official Account openid (followers exported from the OA)

_ALIASES: dict[str, frozenset[str]] = {
    OPENID: frozenset({
        "openid", "用户openid", "微信openid", "小程序openid", "openid用户", "touser", "接收人openid",
        "收件人openid", "用户标识", "用户标识openid",
    }),
    FORM_ID: frozenset({"formid", "表单id", "用户formid", "formid值"}),
    UNIONID: frozenset({"unionid", "用户unionid", "微信unionid", "开放平台unionid"}),
    OA_OPENID: frozenset({"oaopenid", "mpopenid", "公众号openid", "公众号用户openid", "服务号openid", "粉丝openid",
                          "公众号粉丝openid"}),
    NAME: frozenset({
        "姓名", "name", "名字", "名称", "用户名", "用户姓名", "客户姓名", "真实姓名", "username", "fullname",
        "昵称", "nickname",
    }),
}
# explicit aliases win over the generic ones ("创建时间" might also be an order's time)
_FORM_ID_TIME_EXPLICIT = frozenset({
    "formidtime", "formidat", "formidcreatedat", "formidcreatetime", "formidissuedat", "formidcollectedat",
    "formid时间", "formid收集时间", "formid创建时间", "formid获取时间",
})
_FORM_ID_TIME_GENERIC = frozenset({
    "收集时间", "创建时间", "采集时间", "获取时间", "createtime", "createdat", "collectedat", "issuedat",
})
_ROLE_LABEL = {OPENID: "openid", FORM_ID: "form_id", UNIONID: "unionid", OA_OPENID: "公众号openid"}

_BRACKETED = re.compile(r"[(（\[【<《].*?[)）\]】>》]")
_DROP = re.compile(r"[\s_\-.·:：*＊#]+")


def normalize_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _BRACKETED.sub("", text)
    return _DROP.sub("", text).casefold()


def role_of(text: str) -> str | None:
    key = normalize_header(text)
    for role, aliases in _ALIASES.items():
        if key in aliases:
            return role
    if key in _FORM_ID_TIME_EXPLICIT or key in _FORM_ID_TIME_GENERIC:
        return FORM_ID_TIME
    return None


def is_header_row(cells: Sequence[str], *, need_openid: bool) -> bool:
    wanted = (OPENID,) if need_openid else (OPENID, UNIONID, OA_OPENID)
    return any(role_of(c) in wanted for c in cells if c)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(slots=True)
class Layout:
    headers: list[str]  # display name of every column (after renaming), index = column index
    width: int
    openid: int | None = None
    form_id: int | None = None
    unionid: int | None = None
    oa_openid: int | None = None
    name: int | None = None
    form_id_time: int | None = None
    value_columns: list[int] = field(default_factory=list)  # indices of per-recipient value columns
    unnamed: set[int] = field(default_factory=set)  # value columns without a header (dropped if never used)
    notes: list[str] = field(default_factory=list)

    def resolve(self, target: str) -> int | None:
        """The column a column_map entry refers to: exact header, normalised header, then role alias."""
        for i, h in enumerate(self.headers):
            if h == target:
                return i
        key = normalize_header(target)
        for i, h in enumerate(self.headers):
            if h and normalize_header(h) == key:
                return i
        role = role_of(target)
        return getattr(self, role) if role else None


class LayoutError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def build_layout(header_cells: Sequence[str]) -> Layout:
    headers = list(header_cells)
    layout = Layout(headers=headers, width=len(headers))
    time_explicit: int | None = None
    time_generic: int | None = None
    seen: dict[str, int] = {}
    for i, text in enumerate(header_cells):
        if not text:
            name = msg.unnamed_column_name(column_letter(i))
            headers[i] = name
            layout.unnamed.add(i)
            layout.value_columns.append(i)
            continue
        role = role_of(text)
        if role in _ROLE_LABEL:
            current = getattr(layout, role)
            if current is not None:
                raise LayoutError(msg.duplicate_role_column(_ROLE_LABEL[role], headers[current], text))
            setattr(layout, role, i)
            continue
        if role == NAME and layout.name is None:
            layout.name = i
        elif role == FORM_ID_TIME:
            key = normalize_header(text)
            if key in _FORM_ID_TIME_EXPLICIT and time_explicit is None:
                time_explicit = i
            elif key in _FORM_ID_TIME_GENERIC and time_generic is None:
                time_generic = i
        count = seen.get(text, 0) + 1
        seen[text] = count
        if count > 1:
            renamed = f"{text}({count})"
            headers[i] = renamed
            layout.notes.append(msg.column_renamed(text, renamed))
        layout.value_columns.append(i)
    if layout.form_id is not None:
        layout.form_id_time = time_explicit if time_explicit is not None else time_generic
    return layout

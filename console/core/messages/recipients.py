"""Chinese texts of the recipient import (console.core.recipients): file-level errors, row errors, notes."""

from __future__ import annotations

from collections.abc import Sequence

# ---- file-level problems (RowError row 0) ----
EMPTY_FILE = "文件是空的，没有任何内容。"
NO_DATA_ROWS = "文件只有表头，没有收件人数据行。"
XLS_OLD_FORMAT = (
    "这是旧版 Excel（.xls）文件或加密的工作簿，无法直接读取。请在 Excel 中选择“另存为”，"
    "保存为 Excel 工作簿（.xlsx）或 CSV UTF-8（逗号分隔）后再导入。"
)
UNKNOWN_ENCODING = (
    "无法识别文件编码（不是 UTF-8、GBK/GB18030 或 UTF-16）。"
    "请在 Excel 中“另存为” CSV UTF-8（逗号分隔）或 .xlsx 后再导入。"
)
LIKELY_OTHER_CJK_ENCODING = (
    "文件编码看起来不是 UTF-8 或简体中文 GBK（可能是繁体 Big5 等编码），直接读取会出现乱码。"
    "请在 Excel 中“另存为” CSV UTF-8（逗号分隔）或 .xlsx 后再导入。"
)
# {detail} (the reader's English exception) is not shown to the clerk: it says nothing they can act on
XLSX_UNREADABLE = ("无法读取这个 Excel 文件（文件可能已损坏，或不是真正的 .xlsx）："
                   "请用 Excel 打开它，另存为 .xlsx 或 CSV UTF-8 后再导入")
XLSX_NO_SHEET = "Excel 文件中没有工作表。"


def csv_broken(row: int, detail: str) -> str:
    return f"CSV 格式错误（第 {row} 行附近）：{detail}。常见原因是引号没有配对，请检查该行。"


def csv_cell_too_large(row: int, limit: int) -> str:
    return f"第 {row} 行附近有超长单元格（超过 {limit} 个字符），通常是引号没有配对，请检查该行。"


def no_id_column(found: Sequence[str], *, need_openid: bool, searched_rows: int | None = None) -> str:
    """`searched_rows`: the file has more rows than the header search looks at (say so)."""
    shown = "、".join(f"“{c}”" for c in found[:12]) or "（无）"
    if len(found) > 12:
        shown += f" 等 {len(found)} 列"
    wanted = "openid" if need_openid else "openid 或 unionid"
    text = f"找不到 {wanted} 列（表头应包含 openid / OpenID / 用户openid 等）。文件前几行的列为：{shown}。"
    if searched_rows:
        text += f"（只在前 {searched_rows} 行中查找表头。）"
    return text


def header_too_low(header_row: int, searched_rows: int) -> str:
    return (f"表头（openid 列）在第 {header_row} 行，但只在前 {searched_rows} 行中查找表头。"
            f"请删除表头上方多余的行，让表头在前 {searched_rows} 行内，再导入。")


# ---- not a table at all ----
IS_DIRECTORY = "这是一个文件夹，不是文件：请选择文件夹里要导入的那个文件。"
NOT_REGULAR_FILE = ("这不是普通文件（可能是管道、设备或套接字），读取它会一直等下去：请选择保存在磁盘上的文件。")
HTML_FILE = ("这是网页(HTML)文件，不是 Excel 表格：请在 Excel 中打开后另存为 .xlsx 或 CSV"
             "（CSV UTF-8，逗号分隔）再导入。")
XML_FILE = ("这是 XML 格式的文件（例如 Excel 2003 XML 表格），不是 .xlsx 或 CSV：请在 Excel 中打开后"
            "另存为 .xlsx 或 CSV（CSV UTF-8，逗号分隔）再导入。")
XLSX_NO_VISIBLE_SHEET = "Excel 文件中的工作表都被隐藏了：请在 Excel 中取消隐藏要导入的工作表后再导入。"


def binary_data(line: int) -> str:
    return (f"文件第 {line} 行含有空字符（NUL），是二进制数据，不是文本表格：它可能是图片、压缩包或损坏的文件，"
            "也可能是缺少编码标记的 UTF-16 文本。请在 Excel 中打开后另存为 CSV UTF-8（逗号分隔）或 .xlsx 再导入。")


def mixed_encoding(line: int) -> str:
    return (f"文件混用了两种编码：大部分内容是 UTF-8，但第 {line} 行不是 UTF-8（可能是从 GBK 文件复制过来的），"
            "直接读取会出现乱码。请用记事本或 Excel 把整个文件另存为 UTF-8 编码（或统一为一种编码）后再导入。")


def mixed_encoding_utf8_line(line: int) -> str:
    return (f"文件混用了两种编码：大部分内容是 GBK（简体中文），但第 {line} 行是 UTF-8 编码，"
            "直接读取会出现乱码。请用记事本或 Excel 把整个文件另存为一种编码（最好是 UTF-8）后再导入。")


def duplicate_role_column(role: str, first: str, second: str) -> str:
    return f"“{first}”和“{second}”两列都表示 {role}，无法确定用哪一列。请删除或改名其中一列。"


def mapped_column_missing(field: str, column: str, found: Sequence[str]) -> str:
    shown = "、".join(f"“{c}”" for c in found[:12])
    return f"模板字段 {field} 对应的列“{column}”在文件中不存在。文件中的列为：{shown}。"


def placeholder_columns_missing(names: Sequence[str], columns: Sequence[str]) -> str:
    """A fixed value's {{列名}} placeholders that name no column of the recipient list (core.jobs)."""
    wanted = "、".join("{{" + n + "}}" for n in names)
    missing = "、".join(f"“{n}”" for n in names)
    shown = "、".join(f"“{c}”" for c in columns[:12]) or "（没有可用的列）"
    if len(columns) > 12:
        shown += f" 等 {len(columns)} 列"
    return (f"占位符 {wanted} 要用收件人文件中的{missing}列，但文件中没有这一列，没有发送任何消息。"
            f"文件中可用的列为：{shown}。请改成已有的列名（区分大小写），或在文件中加上这一列")


# ---- row problems ----
MISSING_OPENID = "openid 为空"
MISSING_ID = "openid 和 unionid 都为空"
OA_OPENID_NAME = "公众号openid"
INVALID_OA_OPENID = "公众号openid 格式不正确（应为 26～64 位字母、数字、下划线或减号，不能有空格或中文）"
MISSING_FORM_ID = "form_id 为空（所选的发送方式需要 form_id）"
INVALID_OPENID = "openid 格式不正确（应为 26～64 位字母、数字、下划线或减号，不能有空格或中文）"
INVALID_UNIONID = "unionid 格式不正确（应为 20～64 位字母、数字、下划线或减号，不能有空格或中文）"
INVALID_FORM_ID = "form_id 格式不正确（应为不超过 128 个字符的字母、数字或符号，不能有空格或中文）"
FORM_ID_USED = "form_id 已经使用过（每个 form_id 只能发送一次）"
UNREADABLE_TIME = "无法识别的时间（可用格式如 2024-01-02 15:04、2024/1/2 15:04 或时间戳）"


def number_cell(role: str) -> str:
    return (f"{role} 不能是数字：Excel 把这一格当成了数字（可能已显示为 1.23E+27 之类，原来的内容已经改变）。"
            "请把这一列设为“文本”格式后重新粘贴，或从原系统重新导出")


def form_id_expired(age_days: float, max_days: int) -> str:
    return f"form_id 已过期（收集于 {age_days:.1f} 天前，有效期 {max_days} 天）"


def form_id_repeated(first_row: int) -> str:
    return f"form_id 与第 {first_row} 行重复（每个 form_id 只能发送一次）"


def duplicate_recipient(first_row: int, key_name: str) -> str:
    return f"{key_name} 与第 {first_row} 行重复，已忽略（保留第 {first_row} 行）"


def cell_too_long(length: int, limit: int) -> str:
    return f"单元格内容过长（{length} 个字符，上限 {limit}）"


def field_value_invalid(field: str, reason: str) -> str:
    return f"模板字段 {field}：{reason}"


def field_display(name: str, label: str) -> str:
    return f"“{label}”" if label else name  # the clerk knows the label; the key (thing1) is WeChat's


# ---- notes ----
def title_rows_skipped(header_row: int) -> str:
    return f"表头在第 {header_row} 行，上面的标题行已跳过。"


def column_renamed(original: str, renamed: str) -> str:
    return f"列名“{original}”重复，后面的一列改名为“{renamed}”。"


def column_unnamed(letter: str, renamed: str) -> str:
    return f"第 {letter} 列有数据但没有列名，已命名为“{renamed}”。"


def unnamed_column_name(letter: str) -> str:
    return f"{letter}列"


def no_form_id_time_column(max_days: int) -> str:
    return (
        f"文件中没有 form_id 收集时间列（如 form_id_time、收集时间），"
        f"无法检查 form_id 是否已过期（有效期 {max_days} 天）。"
    )


def form_id_time_missing(count: int) -> str:
    return f"{count} 行有 form_id 但没有收集时间，无法检查是否已过期。"


def sheet_used(name: str, count: int, *, active: bool) -> str:
    which = "打开文件时显示的工作表" if active else "第一个没有隐藏的工作表"
    return f"工作簿有 {count} 个工作表，导入的是“{name}”（{which}）。"


def sheet_fallback(name: str, shown: str) -> str:
    return f"导入的是工作表“{name}”：工作表“{shown}”中没有 openid 列。"


def sheets_hidden(names: Sequence[str]) -> str:
    shown = "、".join(f"“{n}”" for n in names[:5]) + (f" 等 {len(names)} 个" if len(names) > 5 else "")
    return f"隐藏的工作表 {shown} 没有导入。"


# ---- summary ----
def summary(source: str, total: int, valid: int, error_rows: int, duplicates: int, encoding: str) -> str:
    return (
        f"{source}：共 {total} 行数据，可发送 {valid} 人，有错误 {error_rows} 行，"
        f"重复 {duplicates} 行" + ("（Excel 表格）" if encoding == "xlsx" else f"（编码：{encoding}）")
    )


FILE_FAILED_SUMMARY = "{source}：导入失败：{reason}"

NO_FORM_ID_COLUMN = "找不到 form_id 列（所选的发送方式需要 form_id；表头可写 form_id / formId / formid）。"


def too_many_cells(count: int, width: int) -> str:
    return f"这一行有 {count} 列，比表头多（表头 {width} 列）：可能有未加引号的逗号，内容会错位，请检查"

FILE_UNREADABLE = "无法读取文件"
FILE_UNREADABLE_DETAIL = "{text}（{detail}）"


# ---- the original design's JSON job file (console.core.recipients.legacy_job) ----
JOB_FILE_ENTRY = "任务文件"
JOB_TOO_DEEP = "括号嵌套的层数太多，无法读取（这不是原系统导出的任务文件，或文件已损坏）"
JOB_USER_ENTRY = "toWeappUser 第 {n} 项"
JOB_USER_NOT_OBJECT = "不是对象（是{what}）：每一项应写成 {{\"openid\": \"…\", \"form_id\": \"…\"}}"
JOB_NOT_TEXT = "不是文字（是{what}）：请改成加引号的文字"
JOB_NO_VALUE = "没有 value：应写成 {\"value\": \"文字\"}"
JOB_VALUE_NULL = "为空（null）：请填写文字，或删除这个字段"
JOB_KIND_NULL = "空值 null"
JOB_KIND_BOOL = "逻辑值 {value}"
JOB_KIND_OBJECT = "对象 {…}"
JOB_KIND_LIST = "列表 […]"
JOB_KIND_NUMBER = "数字 {value}"
JOB_KIND_TEXT = "文字“{value}”"
JOB_MORE_ENTRY = "……"
JOB_MORE_PROBLEMS = "另有 {n} 处问题"

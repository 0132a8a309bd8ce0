"""Property tests: arbitrary input never raises; well-formed generated tables survive the round trip in every
encoding, delimiter, quoting style and line ending, with Excel row numbers."""

from __future__ import annotations

import codecs
import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.core.recipients import ImportOptions, ImportReport, import_bytes
from console.core.wechat.templates import TemplateField
from tests.core.recipients.recipients_kit import oid

_SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_OPTIONS = ImportOptions(template_fields=[TemplateField("thing1", "thing", "备注")],
                         column_map={"thing1": "姓名"}, now=1.7e9)


def _consistent(report: ImportReport) -> None:
    """Invariants of any report: rejected files import nothing; rows are real, distinct and ordered."""
    assert isinstance(report.summary(), str)
    if report.failed:
        assert report.recipients == [] and report.duplicates == []
        assert all(e.reason for e in report.errors)
        return
    rows = [r.row for r in report.recipients]
    assert rows == sorted(set(rows))
    assert all(r > report.header_row >= 1 for r in rows + [e.row for e in report.errors + report.duplicates])
    assert len({r.openid for r in report.recipients}) == len(report.recipients)
    assert report.valid + len(report.duplicates) + report.error_rows <= report.total_rows


@_SETTINGS
@given(st.binary(max_size=600), st.sampled_from(["a.csv", "a.txt", "a.xlsx", "a.xls", "a"]))
def test_random_bytes_never_raise(data: bytes, filename: str) -> None:
    _consistent(import_bytes(data, filename, _OPTIONS))


_CELL = st.lists(st.sampled_from([*'ab1 ,;\t"\'\n=\r', "openid", "姓名", "form_id", "张", oid(1)]),
                 max_size=6).map("".join)


@_SETTINGS
@given(st.lists(st.lists(_CELL, max_size=5), max_size=8), st.sampled_from([",", ";", "\t"]),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]), st.booleans())
def test_random_quoting_and_cells_never_raise(rows: list[list[str]], delimiter: str, encoding: str,
                                              header: bool) -> None:
    lines = ([delimiter.join(["openid", "姓名", "form_id"])] if header else []) + [
        delimiter.join(cells) for cells in rows]
    _consistent(import_bytes("\r\n".join(lines).encode(encoding), "x.csv", _OPTIONS))


_VALUE_CHARS = st.sampled_from(list("张三李四北京上海路号店abcXYZ019 ,;\t\"'\n-_.:/()（）￥€😀"))
_VALUE = st.text(alphabet=_VALUE_CHARS, max_size=15).filter(
    lambda v: v == v.strip() and not v.startswith(("=", "'")))
_EXTRA_HEADERS = ["门店", "备注", "金额", "地址", "note", "订单号", "城市"]


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    extra = draw(st.lists(st.sampled_from(_EXTRA_HEADERS), unique=True, max_size=4))
    header = ["openid", "姓名", *extra]
    count = draw(st.integers(1, 12))
    body = [[oid(i), *(draw(_VALUE) for _ in range(len(header) - 1))] for i in range(count)]
    return header, body


@_SETTINGS
@given(tables(), st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le"]),
       st.sampled_from([",", ";", "\t"]), st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]),
       st.sampled_from(["\r\n", "\n"]), st.booleans(), st.lists(st.booleans(), max_size=12))
def test_round_trip_preserves_values_and_rows(table: tuple[list[str], list[list[str]]], encoding: str,
                                              delimiter: str, quoting: int, newline: str, title: bool,
                                              blanks: list[bool]) -> None:
    header, body = table
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    excel_row = 0
    if title:
        buf.write("收件人名单 2024" + newline)
        excel_row += 1
    writer.writerow(header)
    excel_row += 1
    expected_rows = []
    for i, cells in enumerate(body):
        if i < len(blanks) and blanks[i]:
            buf.write(newline)
            excel_row += 1
        writer.writerow(cells)
        excel_row += 1
        expected_rows.append(excel_row)
    data = buf.getvalue().encode(encoding)
    if encoding == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    report = import_bytes(data, "t.csv", ImportOptions(now=1.7e9))
    _consistent(report)
    assert report.errors == [] and report.duplicates == []
    assert report.header_row == (2 if title else 1)
    assert report.columns == header[1:]
    assert [r.row for r in report.recipients] == expected_rows
    assert [r.openid for r in report.recipients] == [cells[0] for cells in body]
    assert [r.values for r in report.recipients] == [dict(zip(header[1:], cells[1:], strict=True))
                                                       for cells in body]
    assert [r.name for r in report.recipients] == [cells[1] or None for cells in body]

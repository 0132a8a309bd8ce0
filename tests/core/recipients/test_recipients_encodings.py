"""Every encoding Excel and office systems write decodes without garbling Chinese."""

from __future__ import annotations

import codecs

import pytest

from console.core.recipients import import_recipients
from tests.core.recipients.recipients_kit import csv_bytes, file_error, oid, run

NAMES = ["张三", "李四", "王小明", "欧阳娜娜", "𠮷野家"]  # the last needs GB18030's 4-byte form / a surrogate pair
HEADER = ["openid", "姓名", "门店"]


def _table() -> list[list[str]]:
    return [HEADER] + [[oid(i), name, f"北京朝阳{i}号店"] for i, name in enumerate(NAMES)]


@pytest.mark.parametrize(("encoding", "reported"), [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16"), ("utf-16-be", "utf-16"), ("utf-32", "utf-32"),
])
def test_each_encoding_round_trips_chinese(tmp_path, encoding: str, reported: str) -> None:
    path = tmp_path / f"名单-{encoding}.csv"
    path.write_bytes(csv_bytes(_table(), encoding))
    report = import_recipients(path)
    assert report.encoding == reported
    assert report.errors == []
    assert [r.name for r in report.recipients] == NAMES
    assert [r.values["门店"] for r in report.recipients] == [f"北京朝阳{i}号店" for i in range(len(NAMES))]
    assert report.source_name == path.name


def test_gbk_as_written_by_chinese_excel() -> None:
    rows = [HEADER] + [[oid(i), name, "上海"] for i, name in enumerate(NAMES[:4])]  # GBK has no 𠮷
    report = run(csv_bytes(rows, "gbk"))
    assert report.encoding == "gb18030"
    assert [r.name for r in report.recipients] == NAMES[:4]


def test_excel_unicode_text_is_utf16_with_bom_tab_separated_crlf() -> None:
    text = "\r\n".join("\t".join(r) for r in _table()) + "\r\n"
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    report = run(data, "名单.txt")
    assert report.encoding == "utf-16"
    assert report.columns == ["姓名", "门店"]
    assert [r.name for r in report.recipients] == NAMES


def test_utf8_bom_does_not_stick_to_the_first_header() -> None:
    report = run(codecs.BOM_UTF8 + "OpenID,姓名\n".encode() + f"{oid(1)},张三\n".encode())
    assert report.header_row == 1
    assert report.recipients[0].openid == oid(1)


def test_unknown_encoding_is_a_chinese_file_error() -> None:
    # Latin-1 "café" and a lone 0x80: neither valid UTF-8 nor GB18030
    data = b"openid,name\n" + oid(1).encode() + b",caf\xe9,\x80\n"
    reason = file_error(run(data))
    assert "编码" in reason and "UTF-8" in reason


def test_big5_is_refused_not_garbled() -> None:
    rows = [["openid", "姓名", "門市"], [oid(1), "陳大文", "台北信義店"], [oid(2), "林美玲", "高雄前鎮店"]]
    reason = file_error(run(csv_bytes(rows, "big5")))
    assert "Big5" in reason


def test_traditional_chinese_in_utf8_is_fine() -> None:
    rows = [["openid", "姓名", "門市"], [oid(1), "陳大文", "台北信義店"]]
    assert run(csv_bytes(rows, "utf-8")).recipients[0].values["門市"] == "台北信義店"


def test_binary_garbage_with_nuls_is_not_decoded_as_text() -> None:
    reason = file_error(run(bytes(range(256)) * 4))
    assert "编码" in reason

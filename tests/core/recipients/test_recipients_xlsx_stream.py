"""Issue 15: the streaming .xlsx reader (xlsx_stream.py) yields exactly the rows python-calamine does, on
workbooks written by openpyxl and on hand-written parts (inline strings, rich text, missing r, gaps, booleans,
errors, dates with custom formats, the 1904 system, prefixed XML)."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Sequence

import openpyxl
import pytest

from console.core.recipients import tables
from console.core.recipients.tables import xlsx_rows
from console.core.recipients.xlsx_values import DATETIME, OTHER, TIMEDELTA, custom_format
from tests.core.recipients.recipients_kit import file_error, oid, run

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _is_header(cells: Sequence[str]) -> bool:
    return "openid" in cells


def _read(data: bytes, stream: bool, is_header=_is_header) -> tuple[list[tuple[int, list[tuple[str, str]]]], list[str]]:
    rows, notes = xlsx_rows(data, is_header, stream_over=-1 if stream else None)
    return [(n, [(type(c).__name__, c) for c in cells]) for n, cells in rows], notes


def _same(data: bytes, monkeypatch: pytest.MonkeyPatch, is_header=_is_header) -> None:
    expected = _read(data, False, is_header)
    with monkeypatch.context() as patch:  # the streamed read must not fall back to calamine
        patch.setattr(tables, "_calamine_book", lambda _data: pytest.fail("calamine used"))
        got = _read(data, True, is_header)
    assert got == expected


def _book(sheets: list[tuple[str, str, str]], strings: str = "", styles: str = "", workbook_pr: str = "",
          active: int = 0) -> bytes:
    """A workbook from hand-written parts: `sheets` are (name, state, <sheetData> inner XML)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        zf.writestr("_rels/.rels", f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                    f'relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
                    '</Relationships>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(sheets) + 1))
        rels += f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>'
        zf.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                    f'package/2006/relationships">{rels}</Relationships>')
        entries = "".join(f'<sheet name="{name}" sheetId="{i}" state="{state}" r:id="rId{i}"/>'
                          for i, (name, state, _) in enumerate(sheets, 1))
        zf.writestr("xl/workbook.xml", f'<workbook {NS} {RNS}>{workbook_pr}<bookViews><workbookView '
                    f'activeTab="{active}"/></bookViews><sheets>{entries}</sheets></workbook>')
        zf.writestr("xl/styles.xml", f"<styleSheet {NS}>{styles}</styleSheet>")
        if strings:
            zf.writestr("xl/sharedStrings.xml", f"<sst {NS}>{strings}</sst>")
        for i, (_, _, data) in enumerate(sheets, 1):
            zf.writestr(f"xl/worksheets/sheet{i}.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                        f'<worksheet {NS}><dimension ref="A1"/><sheetData>{data}</sheetData></worksheet>')
    return buf.getvalue()


STYLES = ('<numFmts><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/><numFmt numFmtId="165" '
          'formatCode="[h]:mm:ss"/><numFmt numFmtId="166" formatCode="&quot;Y&quot;0.00"/><numFmt numFmtId="167" '
          'formatCode="h:mm AM/PM"/><numFmt numFmtId="168" formatCode="[Red]0;[Blue]dd"/></numFmts>'
          '<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/>'
          '<xf numFmtId="22"/><xf numFmtId="46"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/>'
          '<xf numFmtId="167"/><xf numFmtId="168"/><xf/><xf numFmtId="21"/></cellXfs>')

CELLS = {
    "strings": ('<row r="2"><c r="B2" t="inlineStr"><is><t>openid</t></is></c><c r="C2" t="inlineStr"><is><r><t>'
                'rich </t></r><r><rPr><b/></rPr><t xml:space="preserve"> run </t></r><rPh><t>ふり</t></rPh></is>'
                '</c><c r="D2" t="s"><v>0</v></c><c r="E2" t="s"><v>1</v></c><c r="F2" t="s"><v>2</v></c>'
                '<c r="G2" t="str"><v>  formula &amp; text </v></c><c r="H2" t="inlineStr"><is><t>  trimmed'
                '\t</t></is></c><c r="I2" t="inlineStr"><is><t>a_x000D_b</t></is></c><c r="J2" t="s"><v>3</v>'
                '</c></row>'),
    "gaps": ('<row><c t="inlineStr"><is><t>openid</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row><row/>'
             '<row r="5"><c r="C5"><v>12</v></c><c><v>13.5</v></c><c r="F5" s="1"/></row><row><c r="B6"><v>7</v>'
             '</c></row><row r="9" spans="1:3"><c r="D9" t="n"><v>1e-5</v></c><c r="A9"><v>4</v></c>'
             '<c r="A9"><v>5</v></c></row><row r="12"><c r="H12" s="2"/></row>'),
    "types": ('<row r="1"><c r="A1" t="inlineStr"><is><t>openid</t></is></c></row><row r="2"><c r="A2" t="b">'
              '<v>1</v></c><c r="B2" t="b"><v>0</v></c><c r="C2" t="e"><v>#DIV/0!</v></c><c r="D2" t="e">'
              '<v>#N/A</v></c><c r="E2"><f>1/0</f><v></v></c><c r="F2"><v>abc</v></c><c r="G2" t="str"><f>A1'
              '</f><v>ok</v></c><c r="H2" t="s"><v></v></c><c r="I2" t="d"><v>2024-01-02T03:04:05</v></c>'
              '<c r="J2" t="inlineStr"><v>ignored</v></c><c r="K2" t="inlineStr"><is></is></c></row>'),
    "dates": ('<row r="1"><c r="A1" t="inlineStr"><is><t>openid</t></is></c></row><row r="2"><c s="1"><v>45293'
              '</v></c><c s="2"><v>45293.6285</v></c><c s="3"><v>1.25</v></c><c s="4"><v>45293</v></c><c s="5">'
              '<v>0.5</v></c><c s="6"><v>3.5</v></c><c s="7"><v>0.75</v></c><c s="8"><v>45293</v></c><c s="9">'
              '<v>45293</v></c><c s="10"><v>0.25</v></c><c s="40"><v>45293</v></c><c s="x"><v>2</v></c>'
              '<c s="1"><v>30</v></c><c s="1"><v>60.5</v></c><c s="2"><v>0.999999</v></c><c s="1"><v>-3</v>'
              '</c><c s="1"><v>9999999</v></c><c s="3"><v>-0.5</v></c><c s="2"><v>45293.00000578</v></c></row>'),
}
SST = ('<si><t>sst one</t></si><si><r><t>sst </t></r><r><t>rich</t></r></si><si/><si><t xml:space="preserve">'
       ' kept </t><rPh sb="0" eb="1"><t>hidden</t></rPh></si>')


@pytest.mark.parametrize("case", sorted(CELLS))
@pytest.mark.parametrize("date1904", [False, True])
def test_hand_written_parts_read_as_calamine_reads_them(case: str, date1904: bool,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pr = '<workbookPr date1904="1"/>' if date1904 else ""
    _same(_book([("名单", "visible", CELLS[case])], SST, STYLES, pr), monkeypatch)


def test_prefixed_xml_and_sheet_choice_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    prefixed = CELLS["gaps"].replace("<row", "<x:row").replace("</row", "</x:row").replace("<c", "<x:c").replace(
        "</c>", "</x:c>").replace("<v>", "<x:v>").replace("</v>", "</x:v>")
    data = _book([("旧", "hidden", CELLS["types"]), ("说明", "visible", '<row><c t="inlineStr"><is><t>说明</t>'
                  '</is></c></row>'), ("名单", "visible", CELLS["strings"]), ("空", "visible", "")],
                 SST, STYLES, active=1)
    _same(data.replace(b"<sheetData>", b'<sheetData xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/'
                       b'2006/main">'), monkeypatch)
    _same(_book([("a", "visible", prefixed.replace("<x:", "<").replace("</x:", "</"))], SST, STYLES), monkeypatch)
    _same(_book([("a", "visible", "")]), monkeypatch, lambda cells: True)
    assert _read(data, True)[1] == _read(data, False)[1] != []


def test_cells_out_of_row_order_fall_back_to_calamine() -> None:
    data = _book([("a", "visible", '<row r="3"><c r="B3"><v>3</v></c></row><row r="1"><c r="A1" t="inlineStr">'
                                   '<is><t>openid</t></is></c></row>')])
    assert _read(data, True) == _read(data, False)


def _openpyxl_book(write_only: bool, seed: int) -> bytes:
    rng = random.Random(seed)
    book = openpyxl.Workbook(write_only=write_only)
    sheet = book.create_sheet("名单") if write_only else book.active
    values = [lambda: f"o{rng.getrandbits(64):016x}", lambda: rng.random() * 1e6, lambda: rng.randint(-5, 10**12),
              lambda: None, lambda: "", lambda: True, lambda: dt.datetime(2024, 1, 2, rng.randint(0, 23), 5, 6),
              lambda: dt.date(2000 + rng.randint(0, 30), 2, 3), lambda: dt.time(rng.randint(0, 23), 30),
              lambda: " 王 小明 ", lambda: "=1+2", lambda: 0.1 + 0.2]
    rows = [["名称", None, "openid", "金额"]] + [[rng.choice(values)() for _ in range(rng.randint(0, 9))]
                                                for _ in range(300)]
    for row in rows:
        sheet.append(row)
    if not write_only:
        sheet.cell(row=400, column=15, value="far")
        sheet.cell(row=2, column=2).number_format = "yyyy/mm/dd hh:mm"
        sheet.cell(row=2, column=2, value=45000.25)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("write_only", [False, True])
@pytest.mark.parametrize("seed", [1, 2])
def test_openpyxl_workbooks_read_as_calamine_reads_them(write_only: bool, seed: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _same(_openpyxl_book(write_only, seed), monkeypatch)


@pytest.mark.parametrize(("code", "kind"), [
    ("DD/MM/YY", DATETIME), ("H:MM:SS;@", DATETIME), ("#,##0\\ [$\\u20bd-46D]", OTHER), ('m"M"d"D";@', DATETIME),
    ("[h]:mm:ss", TIMEDELTA), ('"Y: "0.00"m";"Y: "-0.00"m";"Y: <num>m";@', OTHER), ('"$"#,##0_);[Red]("$"#,##0)',
                                                                                   OTHER),
    ('[$-404]e"\\xfc"m"\\xfc"d"\\xfc"', DATETIME), ("0_ ;[Red]\\-0\\ ", OTHER), ("\\Y000000", OTHER),
    ('#,##0.0####" YMD"', OTHER), ("[h]", TIMEDELTA), ("[ss]", TIMEDELTA), ("[s].000", TIMEDELTA),
    ("[Blue]\\+[h]:mm;[Red]\\-[h]:mm;[Green][h]:mm", TIMEDELTA), ("[>=100][Magenta].00", OTHER), ("ha/p\\\\m",
                                                                                                   DATETIME),
    ('#,##0.00\\ _M"H"_);[Red]#,##0.00\\ _M"S"_)', OTHER), ("#,##0*y", OTHER), ("*-yyyy-mm-dd", DATETIME),
])
def test_custom_number_formats_as_calamine_tests_them(code: str, kind: int) -> None:
    # the cases of calamine's own test_is_date_format (src/formats.rs)
    assert custom_format(code) == kind


def _report(data: bytes, stream: bool, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    with monkeypatch.context() as patch:
        patch.setattr(tables, "STREAM_SHEET_BYTES", -1 if stream else 1 << 40)
        if stream:
            patch.setattr(tables, "_calamine_book", lambda _data: pytest.fail("calamine used"))
        report = run(data, "名单.xlsx", require_form_id=False)
    recipients = [(r.row, r.openid, r.name, r.form_id, dict(r.values)) for r in report.recipients]
    errors = [(e.row, e.reason) for e in report.errors]
    duplicates = [(e.row, e.reason) for e in report.duplicates]
    return (recipients, errors, duplicates, report.columns, report.header_row, report.total_rows, report.notes,
            report.summary())


def test_an_import_through_the_stream_reports_what_calamine_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    sheet.append(["客户名单（内部）"])
    sheet.append([])
    sheet.append([None, "openid", "姓名", "金额", "下单时间"])
    for i in range(60):
        openid: object = oid(i % 50) if i % 7 else 1.3800138e10  # a number where an openid belongs: refused
        sheet.append([None, "bad id" if i % 11 == 3 else openid, f"王{i}", i * 1.5,
                      dt.datetime(2024, 1, 2, 3, i % 60)])
    hidden = book.create_sheet("旧")
    hidden.append(["openid"])
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    book.save(buf)
    expected = _report(buf.getvalue(), False, monkeypatch)
    assert expected[0] and expected[1] and expected[2]  # accepted rows, row errors and duplicates all occur
    assert _report(buf.getvalue(), True, monkeypatch) == expected


@pytest.mark.parametrize("sheet_data", [
    '<row><c t="inlineStr"><is><t>openid</t></is></c></row><row><c t="zz"><v>1</v></c></row>',
    '<row><c t="inlineStr"><is><t>openid</t></is></c></row><row><c t="n"><v>abc</v></c></row>',
    '<row><c t="inlineStr"><is><t>openid</t></is></c></row><row><c t="s"><v>99</v></c></row>',
    '<row><c r="A1" t="inlineStr"><is><t>openid</t></is></c></row><row><c r="1A"><v>1</v></c></row>',
])
def test_a_broken_cell_is_a_file_error_on_both_paths(sheet_data: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = _book([("a", "visible", sheet_data)])
    assert file_error(run(data, "a.xlsx"))
    with monkeypatch.context() as patch:
        patch.setattr(tables, "STREAM_SHEET_BYTES", -1)
        assert file_error(run(data, "a.xlsx"))

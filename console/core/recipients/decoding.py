"""Byte-level sniffing: which kind of file this is, and decoding text files without garbling Chinese.

Decision order (first match wins):
1. a BOM: UTF-8 (`utf-8-sig`), UTF-16 LE/BE (`utf-16`, what Excel's "Unicode text" writes), UTF-32;
2. no BOM but NUL bytes in alternating positions: UTF-16 without BOM (LE or BE by where the NULs
   are);
3. any other NUL byte: binary data (an image, an archive, a broken file), never "an encoding";
4. strict UTF-8 (plain ASCII is reported as `utf-8`);
5. lines of both encodings (see `_mixed_line`): refused, naming the first line of the minority;
6. strict GB18030 (a superset of GBK/GB2312, what Excel on Chinese Windows writes; reported as
   `gb18030`), unless the result looks like misdecoded Big5 (see `_looks_misdecoded`).

Anything else is an unknown encoding: a file-level error, never a lossy decode. UTF-8 is tried
before GB18030 because Chinese text in GBK is almost never valid UTF-8 (lead bytes 0x81-0xFE followed
by 0x40-0x7E or another lead byte), while UTF-8 Chinese sometimes decodes as GB18030 garbage.

Before any of that, `file_kind` recognises markup by content: a web page (HTML, what many web systems
export as ".xls") or an XML file (Excel 2003 XML) is refused with its own message, never parsed as CSV.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from enum import Enum

from console.core.messages import recipients as msg


class FileKind(Enum):
    TEXT = "text"
    XLSX = "xlsx"  # a ZIP container (xlsx/xlsm; calamine also reads ods)
    XLS = "xls"  # OLE2 compound file: old .xls, or a password-protected workbook
    HTML = "html"  # a web page, often exported by web systems as ".xls"
    XML = "xml"  # XML, e.g. Excel 2003 "XML Spreadsheet"


class ImportFailure(Exception):
    """A problem with the whole file; `reason` is the Chinese text for the report."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"


def file_kind(data: bytes, filename: str) -> FileKind:
    """By content first (a CSV renamed to .xlsx or an .xlsx renamed to .csv still works), then by
    extension."""
    if data.startswith(_ZIP_MAGIC):
        return FileKind.XLSX
    if data.startswith(_OLE2_MAGIC):
        return FileKind.XLS
    markup = _markup_kind(data)
    if markup is not None:
        return markup
    if filename.lower().endswith(".xls"):
        # An .xls that is not OLE2 and not HTML/XML is most likely a truncated/corrupt old workbook; some
        # systems export tab-separated text as ".xls" though, so only reject it when it does not decode.
        try:
            decode_text(data)
        except ImportFailure:
            return FileKind.XLS
    return FileKind.TEXT


_HTML_MARKERS = ("<html", "<!doctype html", "<table", "<head", "<body", "<meta", "<style", "<title")


def _markup_kind(data: bytes) -> FileKind | None:
    """HTML or XML by its first characters (after a BOM and white space): a CSV list starts with its title or
    header text, never with "<" followed by a tag."""
    sample = data[:2048]
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = sample.decode("utf-16", errors="ignore")
    else:
        head = sample.removeprefix(codecs.BOM_UTF8).decode("latin-1")
    head = head.lstrip().lower()
    if not head.startswith("<"):
        return None
    if head.startswith("<?xml"):  # XHTML, or XML such as Excel 2003's (whose <Table> is no web page)
        return FileKind.HTML if "<html" in head or "<!doctype html" in head else FileKind.XML
    if head.startswith(_HTML_MARKERS) or any(marker in head for marker in _HTML_MARKERS[:3]):
        return FileKind.HTML
    return None


_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # (bom, codec used to decode, encoding name reported) - UTF-32 before UTF-16: its LE BOM starts with FF FE
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    # ASCII-heavy UTF-16 text: one byte of most code units is NUL (headers like "openid" are ASCII)
    if odd_nuls > half * 0.3 and even_nuls < half * 0.05:
        return "utf-16-le"
    if even_nuls > half * 0.3 and odd_nuls < half * 0.05:
        return "utf-16-be"
    return None


_SAMPLE_CHARS = 64 * 1024


def _looks_misdecoded(sample: str) -> bool:
    """Big5 (traditional Chinese) bytes are mostly valid GBK too, and decode into kana, Greek, Cyrillic,
    zhuyin and box-drawing characters (GBK rows A4-A9, where Big5 keeps its most common characters). A real
    simplified-Chinese list has almost none of those; when they are over 10 % of the CJK-looking characters,
    refuse the file instead of importing garbled names."""
    odd = han = 0
    for ch in sample:
        cp = ord(ch)
        if cp < 0x370:
            continue
        if 0x4E00 <= cp <= 0x9FFF:
            han += 1
        elif (0x370 <= cp <= 0x4FF or 0x2500 <= cp <= 0x257F or 0x3040 <= cp <= 0x30FF
              or 0x3100 <= cp <= 0x312F or 0xFE30 <= cp <= 0xFE4F):
            odd += 1
    return odd >= 2 and odd * 10 > odd + han


def _plausible_utf8(text: str) -> bool:
    """A line that decoded as UTF-8 and is Chinese text, not an accident: every non-ASCII character is a CJK
    ideograph, CJK or general punctuation, or a full-width form (all 3-byte sequences in UTF-8). GBK text is
    valid UTF-8 by accident in ~5 % of short lines, but then decodes into Latin, Greek or Cyrillic letters
    (2-byte sequences: GBK lead bytes 0xC2-0xDF followed by a trail byte 0xA1-0xBF); a GBK line decoding into
    such characters only was not seen in a million random lines of common hanzi."""
    for ch in text:
        cp = ord(ch)
        if cp < 0x80:
            continue
        if not (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x3000 <= cp <= 0x303F
                or 0x2000 <= cp <= 0x206F or 0xFF00 <= cp <= 0xFFEF):
            return False
    return True


def _mixed_line(data: bytes, *, utf8_known: bool = False) -> str | None:
    """The reason to refuse a file that is not valid UTF-8 as a whole but mixes UTF-8 lines with lines of
    another encoding (a GBK line pasted into a UTF-8 file): it names the first line (1-based, as Notepad
    counts) of the minority encoding. None when the file has no line of plausible UTF-8 Chinese (a GBK file).
    `utf8_known`: a UTF-8 BOM said so; every line that is not UTF-8 is then the odd one."""
    return _mixed_line_counts((data,), utf8_known=utf8_known)


def _mixed_line_counts(blocks: Iterable[bytes], *, utf8_known: bool = False) -> str | None:
    """`_mixed_line` over the file in blocks that each end at a line end (streaming.py)."""
    utf8 = other = 0
    first_utf8 = first_other = 0
    number = 0
    for block in blocks:
        for line in block.splitlines():
            number += 1
            if line.isascii():
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                other += 1
                first_other = first_other or number
                continue
            if _plausible_utf8(text):
                utf8 += 1
                first_utf8 = first_utf8 or number
    if not other or not (utf8 or utf8_known):
        return None
    if utf8_known or utf8 >= other:
        return msg.mixed_encoding(first_other)
    return msg.mixed_encoding_utf8_line(first_utf8)


def _line_of(data: bytes, offset: int) -> int:
    """The 1-based line (as Notepad counts: CR LF, LF or CR end a line) of the byte at `offset`."""
    before = data[:offset]
    return len(before.splitlines()) + (not before or before.endswith((b"\n", b"\r")))


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises ImportFailure for binary data or an unknown or mixed encoding."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError:
                reason = _mixed_line(data[len(bom):], utf8_known=True) if name == "utf-8-sig" else None
                raise ImportFailure(reason or msg.UNKNOWN_ENCODING) from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), "utf-16"
        except UnicodeDecodeError:
            pass
    nul = data.find(b"\x00")
    if nul >= 0:  # NUL is never part of a real CSV (UTF-16, which has them, was handled above)
        raise ImportFailure(msg.binary_data(_line_of(data, nul)))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _mixed_line(data)
    if mixed is not None:
        raise ImportFailure(mixed)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise ImportFailure(msg.UNKNOWN_ENCODING) from None
    if _looks_misdecoded(text[:_SAMPLE_CHARS]):
        raise ImportFailure(msg.LIKELY_OTHER_CJK_ENCODING)
    return text, "gb18030"

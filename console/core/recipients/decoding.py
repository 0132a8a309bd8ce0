"""Byte-level sniffing: which kind of file this is, and decoding text files without garbling Chinese.

Decision order (first match wins):
1. a BOM: UTF-8 (`utf-8-sig`), UTF-16 LE/BE (`utf-16`, what Excel's "Unicode text" writes), UTF-32;
2. no BOM but NUL bytes in alternating positions: UTF-16 without BOM (LE or BE by where the NULs
   are);
3. strict UTF-8 (plain ASCII is reported as `utf-8`);
4. strict GB18030 (a superset of GBK/GB2312, what Excel on Chinese Windows writes; reported as
   `gb18030`), unless the result looks like misdecoded Big5 (see `_looks_misdecoded`).

Anything else is an unknown encoding: a file-level error, never a lossy decode. UTF-8 is tried
before GB18030 because Chinese text in GBK is almost never valid UTF-8 (lead bytes 0x81-0xFE followed
by 0x40-0x7E or another lead byte), while UTF-8 Chinese sometimes decodes as GB18030 garbage.
"""

from __future__ import annotations

import codecs
from enum import Enum

from console.core.messages import recipients as msg


class FileKind(Enum):
    TEXT = "text"
    XLSX = "xlsx"  # a ZIP container (xlsx/xlsm; calamine also reads ods)
    XLS = "xls"  # OLE2 compound file: old .xls, or a password-protected workbook


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
    if filename.lower().endswith(".xls") and data[:5].lower() not in (b"<html", b"<!doc", b"<?xml", b"<tabl"):
        # An .xls that is not OLE2 and not HTML/XML is most likely a truncated/corrupt old workbook; some
        # systems export tab-separated text as ".xls" though, so only reject it when it does not decode.
        try:
            decode_text(data)
        except ImportFailure:
            return FileKind.XLS
    return FileKind.TEXT


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


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name). Raises ImportFailure for an unknown encoding."""
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), name
            except UnicodeDecodeError:
                raise ImportFailure(msg.UNKNOWN_ENCODING) from None
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        try:
            return data.decode(utf16), "utf-16"
        except UnicodeDecodeError:
            pass
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            # NUL is never part of a real CSV; a NUL-laden decode means a binary file or another encoding
            break
        if codec == "gb18030" and _looks_misdecoded(text[:_SAMPLE_CHARS]):
            raise ImportFailure(msg.LIKELY_OTHER_CJK_ENCODING)
        return text, codec
    raise ImportFailure(msg.UNKNOWN_ENCODING)

"""Reading a text list without holding it whole: the encoding decided by streaming over the bytes, the CSV parsed
from a decoding stream.

`decoding.decode_text` returns the whole text: a 1 000 000-row list is ~140 MB of bytes and, with Chinese names,
~280 MB of text (CPython stores it with 2 bytes a character), both alive while the rows are parsed (issue 15).
`detect_encoding` makes the same decision as `decode_text` (same order, same reasons) by feeding the bytes in 1 MB
chunks to incremental decoders and keeping nothing; `open_text` then gives a stream the CSV reader pulls from.
The few refusals that need the whole file to word their reason (a mixed-encoding file that also has a BOM, a
UTF-16 file that does not decode) fall back to `decode_text` on the whole bytes: those files are refused anyway.
"""

from __future__ import annotations

import codecs
import hashlib
import io
from collections.abc import Callable, Iterator
from typing import BinaryIO

from console.core.messages import recipients as msg
from console.core.recipients.decoding import (
    _BOMS,
    _SAMPLE_CHARS,
    ImportFailure,
    _looks_misdecoded,
    _mixed_line_counts,
    _utf16_without_bom,
    decode_text,
)

Opener = Callable[[], BinaryIO]
CHUNK = 1 << 20


def chunks(open_: Opener) -> Iterator[bytes]:
    with open_() as fh:
        while block := fh.read(CHUNK):
            yield block


def sha256(open_: Opener) -> str:
    digest = hashlib.sha256()
    for block in chunks(open_):
        digest.update(block)
    return digest.hexdigest()


def head(open_: Opener, size: int = 4096) -> bytes:
    with open_() as fh:
        return fh.read(size)


def _decodes(open_: Opener, codec: str, skip: int = 0) -> bool:
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        with open_() as fh:
            fh.seek(skip)
            while block := fh.read(CHUNK):
                decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _whole(open_: Opener) -> bytes:
    with open_() as fh:
        return fh.read()


def _line_chunks(open_: Opener) -> Iterator[bytes]:
    """The bytes in blocks that end at a line feed (or at the end), so that `splitlines` on each block numbers
    the lines as on the whole file."""
    rest = b""
    for block in chunks(open_):
        block = rest + block
        cut = block.rfind(b"\n") + 1
        rest = block[cut:]
        if cut:
            yield block[:cut]
    if rest:
        yield rest


def _nul_line(open_: Opener) -> int | None:
    """The 1-based line (as `decoding._line_of` counts) of the first NUL byte, or None."""
    lines = 0
    for block in _line_chunks(open_):
        at = block.find(b"\x00")
        if at >= 0:
            before = block[:at]
            return lines + len(before.splitlines()) + (not before or before.endswith((b"\n", b"\r")))
        lines += block.count(b"\n") + block.count(b"\r") - block.count(b"\r\n")  # = len(block.splitlines())
    return None


def detect_encoding(open_: Opener) -> tuple[str, str]:
    """(codec to decode with, encoding name reported): the decision of `decode_text`, without the text."""
    start = head(open_)
    for bom, codec, name in _BOMS:
        if start.startswith(bom):
            if _decodes(open_, codec):
                return codec, name
            decode_text(_whole(open_))  # raises with the reason
            raise ImportFailure(msg.UNKNOWN_ENCODING)
    utf16 = _utf16_without_bom(start)
    if utf16 is not None and _decodes(open_, utf16):
        return utf16, "utf-16"
    nul = _nul_line(open_)
    if nul is not None:
        raise ImportFailure(msg.binary_data(nul))
    if _decodes(open_, "utf-8"):
        return "utf-8", "utf-8"
    mixed = _mixed_line_counts(_line_chunks(open_))
    if mixed is not None:
        raise ImportFailure(mixed)
    if not _decodes(open_, "gb18030"):
        raise ImportFailure(msg.UNKNOWN_ENCODING)
    with open_text(open_, "gb18030") as text:
        if _looks_misdecoded(text.read(_SAMPLE_CHARS)):
            raise ImportFailure(msg.LIKELY_OTHER_CJK_ENCODING)
    return "gb18030", "gb18030"


def open_text(open_: Opener, codec: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(open_(), encoding=codec, newline="")

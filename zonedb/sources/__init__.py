"""Read source files (plain text, PDF e-papers, saved web pages, Word reports) into text.

:func:`read_document` picks the format from the content (magic bytes), never from the
file name alone, and returns a :class:`SourceDocument`.
"""

from __future__ import annotations

import io
import re
import zipfile

from zonedb.errors import EmptyInputError, InputError
from zonedb.sources._model import (
    MEDIA_DOCX,
    MEDIA_HTML,
    MEDIA_PDF,
    MEDIA_TEXT,
    Page,
    SourceDocument,
)
from zonedb.sources._text import decode_text, iter_decoded

__all__ = [
    "MEDIA_DOCX",
    "MEDIA_HTML",
    "MEDIA_PDF",
    "MEDIA_TEXT",
    "Page",
    "SourceDocument",
    "iter_decoded",
    "read_document",
    "sniff_format",
]

_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|meta|body|title)[\s>/]", re.IGNORECASE)
_BOM_PREFIXES = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
# How far past leading white space/BOM/comments an HTML tag may start and still count.
_HTML_WINDOW = 1024


def _looks_like_html(data: bytes) -> bool:
    head = data[:4096]
    for bom in _BOM_PREFIXES:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    if head[:2] in (b"<\x00", b"\x00<"):  # UTF-16 HTML
        head = head.replace(b"\x00", b"")
    head = head.lstrip()
    # Skip an XML declaration and leading comments.
    while True:
        if head.startswith(b"<?xml"):
            end = head.find(b"?>")
            head = head[end + 2 :].lstrip() if end >= 0 else b""
        elif head.startswith(b"<!--"):
            end = head.find(b"-->")
            head = head[end + 3 :].lstrip() if end >= 0 else b""
        else:
            break
    match = _HTML_START.search(head[:_HTML_WINDOW])
    return match is not None and not head[: match.start()].strip(b" \t\r\n")


def sniff_format(data: bytes) -> str:
    """Return the media type the bytes hold, judged by content only."""
    if data.lstrip(b"\xef\xbb\xbf\r\n\t\x00 ").startswith(b"%PDF-"):
        return MEDIA_PDF
    if data.startswith(b"PK\x03\x04"):
        return MEDIA_DOCX
    if _looks_like_html(data):
        return MEDIA_HTML
    return MEDIA_TEXT


def _check_zip(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError) as err:
        raise InputError(name, f"corrupt .docx: {err}") from None
    if "word/document.xml" not in names:
        raise InputError(name, "zip archive is not a .docx document")


def read_document(data: bytes, name: str) -> SourceDocument:
    """Turn the bytes of one source file into a :class:`SourceDocument`.

    ``name`` is used in error messages only.  Raises :class:`EmptyInputError` for an empty
    file and :class:`InputError` (with a specific reason) for anything unreadable.
    """
    if not data.strip():
        raise EmptyInputError(name, "empty file")
    media_type = sniff_format(data)
    if media_type == MEDIA_PDF:
        from zonedb.sources._pdf import read_pdf

        return read_pdf(data, name)
    if media_type == MEDIA_DOCX:
        _check_zip(data, name)
        from zonedb.sources._docx import read_docx

        return read_docx(data, name)
    if media_type == MEDIA_HTML:
        from zonedb.sources._html import read_html

        return read_html(data, name)
    text, encoding = decode_text(data, name)
    return SourceDocument(text=text, encoding=encoding, media_type=MEDIA_TEXT)

"""Read PDF e-papers page by page with pdfminer.six layout analysis.

Library choice, measured on a two-column A4 page written with reportlab's ``STSong-Light``
CID font whose content stream interleaves the columns line by line (as newspaper layout
programs often do):

* pdfminer.six (``LAParams`` layout analysis): headline, then the whole left column, then
  the whole right column -- the reading order.
* pdfplumber ``extract_text``: one output line per baseline, so left and right column
  lines alternate ("左栏…总值 右栏…完成8").
* pypdf ``extract_text``: plain mode follows the content stream (columns interleaved);
  layout mode lays out by baseline like pdfplumber.

pdfminer.six is well kept, pure Python, and groups characters into text boxes before
ordering them, so it is the only one of the three that reads columns in order.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTPage, LTTextBox, LTTextLine
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psexceptions import PSException

from zonedb.errors import InputError
from zonedb.sources._model import MEDIA_PDF, Page, SourceDocument
from zonedb.textnorm import repair_glyphs

SCANNED = "scanned PDF: no text layer (run OCR first)"
ENCRYPTED = "encrypted PDF: password required"

# A page's text never holds a blank line (boxes and paragraphs are joined by one newline), so
# every PAGE_SEPARATOR in a document's text is a page break; `zonedb show` counts them.
PAGE_SEPARATOR = "\n\n"
_CID = re.compile(r"\(cid:\d+\)")
_SENTENCE_END = tuple("。！？；：”」』）)!?;:")
_LAPARAMS = LAParams(line_margin=0.5, char_margin=2.0, word_margin=0.1, boxes_flow=0.5)


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalpha()


def join_lines(lines: list[str]) -> str:
    """Join the printed lines of one paragraph into one line.

    CJK text and numbers broken across lines join directly; ``develop-`` + ``ment`` loses
    its hyphen; two Latin words get one space between them.
    """
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
        elif (
            out.endswith("-")
            and len(out) >= 2
            and _is_word_char(out[-2])
            and line[0].isascii()
            and line[0].islower()
        ):
            out = out[:-1] + line
        elif _is_word_char(out[-1]) and _is_word_char(line[0]):
            out += " " + line
        else:
            out += line
    return out


def _box_lines(box: LTTextBox) -> Iterator[tuple[str, float, float]]:
    for line in box:
        if isinstance(line, LTTextLine):
            yield _CID.sub("", line.get_text()).replace("\n", ""), line.x0, line.x1


def _box_text(box: LTTextBox) -> str:
    """Text of one box: lines joined, a new paragraph after a short line ending a sentence."""
    lines = list(_box_lines(box))
    if not lines:
        return ""
    heights = [
        ch.height
        for line in box
        if isinstance(line, LTTextLine)
        for ch in line
        if hasattr(ch, "height")
    ]
    em = max(sum(heights) / len(heights), 1.0) if heights else 10.0
    paragraphs: list[str] = []
    current: list[str] = []
    for text, _x0, x1 in lines:
        current.append(text)
        if text.rstrip().endswith(_SENTENCE_END) and x1 < box.x1 - 1.5 * em:
            paragraphs.append(join_lines(current))
            current = []
    if current:
        paragraphs.append(join_lines(current))
    return "\n".join(p for p in paragraphs if p)


def _page_text(page: LTPage) -> str:
    boxes = [_box_text(el) for el in page if isinstance(el, LTTextBox)]
    return repair_glyphs("\n".join(b for b in boxes if b.strip()))


def read_pdf(data: bytes, name: str) -> SourceDocument:
    """Extract the text of every page; columns in reading order, glyph artifacts repaired."""
    if b"%%EOF" not in data[-2048:]:
        raise InputError(name, "corrupt or truncated PDF: no %%EOF marker at the end of the file")
    try:
        page_texts = [
            _page_text(page) for page in extract_pages(io.BytesIO(data), laparams=_LAPARAMS)
        ]
    except PDFPasswordIncorrect:
        raise InputError(name, ENCRYPTED) from None
    except PDFEncryptionError as err:
        raise InputError(name, f"encrypted PDF: unsupported encryption ({err})") from None
    except (PDFSyntaxError, PSException) as err:
        raise InputError(name, f"corrupt or truncated PDF: {err}") from None
    except Exception as err:  # noqa: BLE001 - a damaged file can break the parser anywhere
        raise InputError(name, f"corrupt or truncated PDF: {type(err).__name__}: {err}") from None
    if not page_texts:
        raise InputError(name, "corrupt or truncated PDF: no pages found")
    if not any(t.strip() for t in page_texts):
        raise InputError(name, SCANNED)
    parts: list[str] = []
    pages: list[Page] = []
    pos = 0
    for number, text in enumerate(page_texts, start=1):
        if number > 1:
            parts.append(PAGE_SEPARATOR)
            pos += len(PAGE_SEPARATOR)
        parts.append(text)
        pages.append(Page(number=number, start=pos, end=pos + len(text)))
        pos += len(text)
    return SourceDocument(
        text="".join(parts), encoding=None, media_type=MEDIA_PDF, pages=tuple(pages)
    )

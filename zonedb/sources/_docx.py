"""Read Word (.docx) reports with python-docx: paragraphs and tables in document order.

A statistics table -- periods across the first row, metric names (with an optional unit in
brackets) down the first column -- becomes one sentence per figure
(``2023年地区生产总值1234.5亿元。``) so the sentence-level extractor can read it; any other
table becomes one line per row with its cells joined by '，'.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from docx import Document as open_docx
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from zonedb.errors import EmptyInputError, InputError
from zonedb.sources._html import parse_date
from zonedb.sources._model import MEDIA_DOCX, SourceDocument

_PERIOD = re.compile(
    r"^(?:(?:19|20)\d{2}年?(?:(?:[一二三四1-4]季度|[上下]半年|前?[一二三四1-4]季度|"
    r"\d{1,2}(?:[-—~至]\d{1,2})?月(?:份)?|全年|年末|年初|末))?"
    r"|\d{1,2}(?:[-—~至]\d{1,2})?月(?:份)?|[一二三四1-4]季度|[上下]半年)$"
)
_METRIC_UNIT = re.compile(r"^(?P<metric>.+?)\s*[（(](?P<unit>[^（）()]+)[）)]\s*$")
_WS = re.compile(r"\s+")


def _cell_texts(row_cells: list) -> list[str]:  # type: ignore[type-arg]
    """Cell texts of one row; a merged cell repeated by python-docx counts once."""
    out: list[str] = []
    seen: set[int] = set()
    for cell in row_cells:
        key = id(cell._tc)
        if key in seen:
            continue
        seen.add(key)
        out.append(_WS.sub(" ", cell.text).strip())
    return out


def _is_period(text: str) -> bool:
    return bool(_PERIOD.match(text.replace(" ", "")))


def render_table(rows: list[list[str]]) -> list[str]:
    """Lines of text for a table given as rows of cell texts."""
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    header = rows[0]
    periods = header[1:]
    if len(rows) >= 2 and periods and all(_is_period(p) for p in periods if p) and any(periods):
        sentences: list[str] = []
        for row in rows[1:]:
            if not row or not row[0]:
                continue
            match = _METRIC_UNIT.match(row[0])
            metric, unit = (match["metric"], match["unit"]) if match else (row[0], "")
            for period, value in zip(periods, row[1:]):
                if period and value and value not in ("-", "—", "--", "/"):
                    sentences.append(f"{period.replace(' ', '')}{metric}{value}{unit}。")
        return sentences
    return ["，".join(c for c in row if c) for row in rows]


def _heading_title(doc: DocxDocument) -> str | None:
    for para in doc.paragraphs:
        style = (para.style.name if para.style is not None else "") or ""
        if (style.startswith("Heading") or style == "Title") and para.text.strip():
            return para.text.strip()
    return None


# python-docx's blank template carries this creation time; files built from it say nothing.
_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15)


def _created(value: datetime | None) -> date | None:
    if not isinstance(value, datetime) or value.replace(tzinfo=None) == _TEMPLATE_CREATED:
        return None
    return value.date()


def read_docx(data: bytes, name: str) -> SourceDocument:
    """Text, title and date of a .docx file."""
    try:
        doc = open_docx(io.BytesIO(data))
        lines: list[str] = []
        for block in doc.iter_inner_content():
            if isinstance(block, Paragraph):
                text = block.text.strip()
                if text:
                    lines.append(text)
            elif isinstance(block, Table):
                lines.extend(render_table([_cell_texts(row.cells) for row in block.rows]))
        props = doc.core_properties
        core_title = (props.title or "").strip() or None
        created = _created(props.created)
        title = core_title or _heading_title(doc)
    except (InputError, MemoryError):
        raise
    except Exception as err:  # noqa: BLE001 - a damaged part can break python-docx anywhere
        raise InputError(name, f"corrupt .docx: {type(err).__name__}: {err}") from None
    text = "\n".join(lines)
    if not text.strip():
        raise EmptyInputError(name, "no text in the document")
    published = None
    for line in lines[:5]:  # a date line near the top beats the file's creation time
        if len(line) <= 40 and (published := parse_date(line)):
            break
    return SourceDocument(
        text=text,
        encoding=None,
        media_type=MEDIA_DOCX,
        title=title,
        published=published or created,
        url=None,
    )

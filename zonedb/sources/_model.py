"""The document model every reader returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

MEDIA_TEXT = "text/plain"
MEDIA_PDF = "application/pdf"
MEDIA_HTML = "text/html"
MEDIA_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a paged source: ``text[start:end]`` of its document."""

    number: int  # 1-based page number in the source file
    start: int
    end: int  # half-open offsets into SourceDocument.text


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A source file turned into text plus the metadata the file states."""

    text: str
    encoding: str | None
    media_type: str
    title: str | None = None
    published: date | None = None
    url: str | None = None
    pages: tuple[Page, ...] = ()

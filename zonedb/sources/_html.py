"""Read saved web pages: article body via readability-lxml, metadata via lxml.

Extractor choice, measured on a Chinese news page written for the purpose (nav menu,
inline script and style, an HTML comment, a related-links box, a reader-comment box and
a footer around three article paragraphs), and on the same page cut to one paragraph:

* trafilatura 2.3 kept the three paragraphs and dropped everything else on the full page,
  but on the one-paragraph page it fell back to a whole-page extraction and returned the
  nav menu (首页/新闻中心/政务公开/招商引资) ahead of the article, with and without
  ``favor_recall``.
* readability-lxml 0.9 returned the headline, date line and paragraphs with no navigation,
  script, related links or comments on both pages.

So the body comes from readability-lxml; title, date and canonical URL are read from the
page's own metadata with lxml (readability has no date extraction), falling back to a
visible date line near the top of the body.
"""

from __future__ import annotations

import codecs
import re
from datetime import date

import lxml.html
from lxml import etree
from readability import Document

from zonedb.errors import EmptyInputError, InputError
from zonedb.sources._model import MEDIA_HTML, SourceDocument
from zonedb.sources._text import decode_text, looks_binary, normalise_newlines

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)["']""")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# Declared charsets that are subsets of a wider codec decode with the wider one.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "big5": "big5hkscs"}

# Meta tags naming the publication date, best first (names compared lower-cased).
_DATE_META = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "pubdate",
    "publishdate",
    "publish_date",
    "publish-date",
    "publishtime",
    "publish_time",
    "datepublished",
    "dc.date.issued",
    "dc.date",
    "dcterms.issued",
    "dcterms.date",
    "dcterms.created",
    "date",
    "firstpublishedtime",
    "article:modified_time",
)
_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
_COMPACT_DATE = re.compile(r"^((?:19|20)\d{2})(\d{2})(\d{2})(?!\d)")
_BLOCK_TAGS = frozenset(
    ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "section", "article")
    + ("header", "footer", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "br")
)
_CELL_TAGS = frozenset(("td", "th"))
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def parse_date(value: str) -> date | None:
    """First calendar date written in ``value`` (``2024-05-06T08:00+08:00``, ``2024年5月6日`` …)."""
    value = value.strip()
    match = _DATE.search(value) or _COMPACT_DATE.search(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _codec(label: bytes) -> str | None:
    try:
        name = codecs.lookup(label.decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return _WIDER.get(name, name)


def _decode_html(data: bytes, name: str) -> tuple[str, str]:
    """Decode with a BOM, else the declared charset, else the plain-text rules."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = data[:4096]
        match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
        codec = _codec(match[1]) if match else None
        if codec:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                pass
            else:
                if looks_binary(text):
                    raise InputError(name, "binary file, not text")
                return normalise_newlines(text), codec
    return decode_text(data, name)


def _block_text(element: lxml.html.HtmlElement) -> str:
    """Visible text with a line per block element and table cells joined by '，'."""
    parts: list[str] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style", "noscript", "template") or not tag:
            if el.tail:
                parts.append(el.tail)
            return
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if tag in _CELL_TAGS:
            parts.append("\x1f")
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(element)
    lines = []
    for raw in "".join(parts).split("\n"):
        cells = [_SPACES.sub(" ", c).strip() for c in raw.split("\x1f")]
        line = "，".join(c for c in cells if c)
        if line:
            lines.append(line)
    return "\n".join(lines)


def _meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (
            (
                el.get("property")
                or el.get("name")
                or el.get("itemprop")
                or el.get("http-equiv")
                or ""
            )
            .strip()
            .lower()
        )
        value = (el.get("content") or "").strip()
        if key and value and key not in found:
            found[key] = value
    return found


def _title(tree: lxml.html.HtmlElement, meta: dict[str, str]) -> str | None:
    if meta.get("og:title"):
        return meta["og:title"]
    for tag in ("h1", "title"):
        for el in tree.iter(tag):
            text = _SPACES.sub(" ", el.text_content()).strip()
            if text:
                return text
    return None


def _published(tree: lxml.html.HtmlElement, meta: dict[str, str], body: str) -> date | None:
    for key in _DATE_META:
        if key in meta and (found := parse_date(meta[key])):
            return found
    for el in tree.iter("time"):
        if found := parse_date(el.get("datetime") or el.text_content()):
            return found
    for line in body.split("\n")[:5]:  # a visible date line under the headline
        if len(line) <= 80 and (found := parse_date(line)):
            return found
    return None


def _url(tree: lxml.html.HtmlElement, meta: dict[str, str]) -> str | None:
    for el in tree.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            return el.get("href").strip()
    return meta.get("og:url")


def read_html(data: bytes, name: str) -> SourceDocument:
    """Article body, title, publication date and canonical URL of a saved web page."""
    html, encoding = _decode_html(data, name)
    html = _XML_DECL.sub("", html, count=1)
    try:
        tree = lxml.html.document_fromstring(html)
        summary = Document(html).summary(html_partial=True)
        body_tree = lxml.html.fragment_fromstring(summary, create_parent="div")
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as err:
        raise InputError(name, f"cannot parse HTML: {err}") from None
    except Exception as err:  # noqa: BLE001 - readability raises its own Unparseable
        raise InputError(name, f"cannot parse HTML: {type(err).__name__}: {err}") from None
    text = _block_text(body_tree)
    if not text.strip():
        body = tree.find("body")
        text = _block_text(body) if body is not None else ""
    if not text.strip():
        raise EmptyInputError(name, "no text in the page")
    meta = _meta(tree)
    return SourceDocument(
        text=text,
        encoding=encoding,
        media_type=MEDIA_HTML,
        title=_title(tree, meta),
        published=_published(tree, meta, text),
        url=_url(tree, meta),
    )

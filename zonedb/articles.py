"""Split a document into articles, keeping exact offsets into the document text.

Three shapes occur:

* newspaper pages (text pulled from a PDF): several articles, each opened by a lead such as
  ``科学导报讯`` / ``本报讯`` / ``新华社北京3月5日电`` or a continuation mark ``（上接 D1 版）``
  and closed by a byline (``…发展。 白小琴``); headlines are short lines between articles,
  printed after or before the body;
* TV transcripts: a title line, a blank line and the story;
* reports: one long text with a title.

A split never moves text: every article body is ``text[start:end]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LEAD = re.compile(
    r"(?m)^[ \t\u3000]*(?=(?:[\u4e00-\u9fff]{2,8}讯(?!息)|本报讯|新华社[\u4e00-\u9fff\d ]{0,12}电|"
    r"[（(]\s*上接[^）)\n]{0,12}[）)]))"
)
_BYLINE_END = re.compile(r"[。！？”][ \t\u3000]+(?:[\u4e00-\u9fff]{2,4}[ \t\u3000]*){1,3}(?=\n|$)")
_SENTENCE_PUNCT = re.compile(r"[。！？；，]")


@dataclass(frozen=True, slots=True)
class ArticleSpan:
    """An article: ``text[start:end]`` is its body; ``title`` is a headline found for it."""

    start: int
    end: int
    title: str | None


def _is_headline(block: str) -> bool:
    """A block of short lines without sentence punctuation (a headline or a sidebar title)."""
    stripped = block.strip()
    if not stripped or len(stripped) > 80:
        return False
    lines = [ln.strip() for ln in stripped.splitlines() if ln.strip()]
    return (all(len(ln) <= 30 for ln in lines) and "。" not in stripped
            and len(_SENTENCE_PUNCT.findall(stripped)) <= 1 and not _LEAD.match(block))


def _title_of(block: str) -> str:
    return re.sub(r"\s+", "", block.strip())


def split_articles(text: str) -> list[ArticleSpan]:
    """Split ``text`` into articles; always returns at least one span (unless text is blank)."""
    cuts = {0, len(text)}
    cuts.update(m.start() for m in _LEAD.finditer(text))
    cuts.update(m.end() for m in _BYLINE_END.finditer(text))
    bounds = sorted(cuts)
    pieces = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]
    if not pieces:
        return []
    if len(pieces) == 1:
        a, b = pieces[0]
        body = text[a:b]
        start = a + _strip_left(body)
        return [ArticleSpan(start, b - (len(body) - len(body.rstrip())), _first_title_line(body))]
    # Headline blocks between articles become titles: the headline printed after an article
    # (common in PDF text) belongs to it; one before the first article belongs to the next.
    articles: list[ArticleSpan] = []
    pending_title: str | None = None
    for a, b in pieces:
        body = text[a:b]
        if _is_headline(body):
            if articles and articles[-1].title is None:
                last = articles[-1]
                articles[-1] = ArticleSpan(last.start, last.end, _title_of(body))
            else:
                pending_title = _title_of(body)
            continue
        start = a + _strip_left(body)
        end = b - (len(body) - len(body.rstrip()))
        articles.append(ArticleSpan(start, end, pending_title or _trailing_headline(text[start:end])))
        pending_title = None
    return articles


def _strip_left(body: str) -> int:
    return len(body) - len(body.lstrip())


def _trailing_headline(body: str) -> str | None:
    """A headline printed after the article's last sentence (PDF reading order)."""
    tail = body[body.rfind("。") + 1 :]
    if not tail.lstrip(" \t\u3000").startswith("\n"):
        return None  # a byline on the last line, not a headline
    return _title_of(tail) if _is_headline(tail) and len(_title_of(tail)) >= 4 else None


_CHROME = re.compile(r"[【】|>]|^(?:下载|打印|全屏|收藏|首页|分享|来源|字号|您的位置)")


def _first_title_line(body: str) -> str | None:
    """The first line that reads like a title: at least four characters, no full stop, no page chrome."""
    for line in body.splitlines()[:30]:
        line = line.strip()
        if len(line) >= 4 and "。" not in line and not _CHROME.search(line) and len(line) <= 60:
            return re.sub(r"\s+", " ", line)
    return None

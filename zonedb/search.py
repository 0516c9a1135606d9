"""Chinese full-text search helpers (pure): segmentation for the index and for queries, snippets.

The index holds jieba search-mode words (long words plus their dictionary parts) joined by
spaces; a query is cut in precise mode and every word must occur, so 专项债 finds
专项债券 (indexed as 专项 债券 专项债 专项债券) and 临汾经济开发区 finds articles containing
临汾, 经济 and 开发区.  Datasette's ``?_search=`` sends the words as typed: give it the words
separated by spaces (``临汾 开发区``).
"""

from __future__ import annotations

import re

__all__ = ["fts_query", "like_pattern", "query_words", "segment_text", "snippet"]

_WORD = re.compile(r"\w", re.UNICODE)


# A token without a word character (punctuation, a line break), in the space-joined tokens
# with a space put in front: dropped together with that space.  jieba keeps runs of spaces
# and of punctuation apart from words, so no token mixes them with word characters.
_NOT_A_WORD = re.compile(r" [^\w ]*(?= |$)")


def segment_text(text: str) -> str:
    """Search-mode words of ``text`` joined by single spaces (punctuation and spaces dropped),
    followed by the indicator names of the packaged vocabulary that occur in it, so that a
    query cut with the same vocabulary (专项债, 规上工业增加值) finds them."""
    from zonedb.segment import cut_for_search, vocabulary_words

    # One pass of the regex engine over the joined string instead of a test per token.
    words = _NOT_A_WORD.sub("", " " + " ".join(cut_for_search(text)))
    return " ".join([words[1:], *vocabulary_words(text)] if words else vocabulary_words(text))


def query_words(query: str) -> list[str]:
    """The words a query must match: precise-mode segmentation of each space-separated part."""
    from zonedb.segment import cut

    words: list[str] = []
    for part in query.split():
        words.extend(w.strip() for w in cut(part) if _WORD.search(w))
    return list(dict.fromkeys(w for w in words if w))


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression (every word quoted, all required), or None when the query is
    a single character or has no word (use :func:`like_pattern` then)."""
    if len("".join(query.split())) < 2:
        return None
    words = query_words(query)
    if not words:
        return None
    return " AND ".join('"' + w.replace('"', '""') + '"' for w in words)


def like_pattern(query: str) -> str:
    """A ``LIKE`` pattern (escape character ``\\``) for the query as a substring."""
    q = "".join(query.split())
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def snippet(body: str, query: str, width: int = 30) -> str:
    """About ``width`` characters either side of the first match, the match marked 【…】."""
    flat = body.replace("\r", "").replace("\n", "")
    q = "".join(query.split())
    pos, length = flat.find(q), len(q)
    if pos < 0 and q:
        hits = [(flat.find(w), len(w)) for w in query_words(query)]
        hits = [h for h in hits if h[0] >= 0]
        pos, length = min(hits) if hits else (-1, 0)
    if pos < 0:
        return flat[: 2 * width] + ("…" if len(flat) > 2 * width else "")
    start, end = max(0, pos - width), min(len(flat), pos + length + width)
    return (("…" if start else "") + flat[start:pos] + "【" + flat[pos:pos + length] + "】"
            + flat[pos + length:end] + ("…" if end < len(flat) else ""))

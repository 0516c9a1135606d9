"""Normalise printed text for extraction while keeping every offset true.

Text pulled out of newspaper PDFs breaks lines mid-word and mid-number, pads numbers with
spaces (``909.4 亿元``), prints full-width digits and mis-maps glyphs (``豫`` for ``%``,
``伊`` for ``×``).  :func:`clean` repairs all of that and returns, next to the clean text,
an index map so that any span found in the clean text maps back to the original.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

# Full-width forms that matter for numbers and Latin tokens; CJK punctuation (，。；：（）)
# is deliberately kept, because it carries clause structure.
_WIDTH_TABLE = {0x3000: " ", 0xFF05: "%", 0xFF0E: ".", 0xFF0D: "-", 0xFF0B: "+", 0xFF0F: "/"}
_WIDTH_TABLE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)})  # ０-９
_WIDTH_TABLE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDTH_TABLE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDTH_TRANS = {cp: ch for cp, ch in _WIDTH_TABLE.items()}
_WIDE = re.compile("[" + "".join(map(chr, sorted(_WIDTH_TABLE))) + "]")


def fold_width(text: str) -> str:
    """Map full-width digits, Latin letters, ``％．－＋／`` and the ideographic space to ASCII.

    The mapping is one character to one character, so offsets are unchanged.

    >>> fold_width("１２．５％")
    '12.5%'
    """
    # Most text holds none of these: a scan in the regex engine is far cheaper than translate.
    return text.translate(_WIDTH_TRANS) if _WIDE.search(text) else text


# Print artifacts of one PDF font mapping: 豫 printed for % and 伊 for ×.
_PERCENT_GLYPH = re.compile(r"(?<=\d)(\s*)豫")
_TIMES_GLYPH = re.compile(r"(?<=\d)(\s*)伊(?=\s*\d)")


def repair_glyphs(text: str) -> str:
    """Replace ``豫`` after a number by ``%`` and ``伊`` between numbers by ``×`` (same length)."""
    if "豫" in text:
        text = _PERCENT_GLYPH.sub(lambda m: m.group(1) + "%", text)
    if "伊" in text:
        text = _TIMES_GLYPH.sub(lambda m: m.group(1) + "×", text)
    return text


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass(frozen=True, slots=True)
class CleanText:
    """Clean text plus ``index``: ``index[i]`` is the original offset of clean character ``i``."""

    text: str
    index: Sequence[int]  # an array of machine integers: 8 bytes a character, not 36

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the half-open clean span ``[start, end)`` to a half-open original span."""
        if end <= start:
            pos = self.index[start] if start < len(self.index) else (self.index[-1] + 1 if self.index else 0)
            return pos, pos
        return self.index[start], self.index[end - 1] + 1


_WS = re.compile(r"\s+")


def clean(text: str, *, keep_paragraphs: bool = False) -> CleanText:
    """Fold widths, repair glyphs and join broken lines and padded numbers.

    A run of white space is dropped unless both of its neighbours are ASCII letters or
    digits (``GreenTek Innovation`` keeps one space); so ``909.4 亿元`` becomes ``909.4亿元``
    and ``3.3\\n亿元`` becomes ``3.3亿元``.  With ``keep_paragraphs`` (text whose lines are
    paragraphs, not printed columns) a run holding a line break becomes one ``\\n``.
    Every kept character remembers where it was.
    """
    text = repair_glyphs(fold_width(text))
    out: list[str] = []
    index = array("q")
    pos = 0
    for m in _WS.finditer(text):
        start, end = m.span()
        out.append(text[pos:start])
        index.extend(range(pos, start))
        before = text[start - 1] if start > 0 else ""
        after = text[end] if end < len(text) else ""
        if keep_paragraphs and "\n" in m.group() and before and after:
            out.append("\n")
            index.append(start + m.group().index("\n"))
        elif before and after and _is_ascii_alnum(before) and _is_ascii_alnum(after):
            # Keep one separator, except inside a number broken across a line (51.7\n3).
            if not ("\n" in m.group() and before.isdigit() and after.isdigit()):
                out.append(" ")
                index.append(start)
        pos = end
    out.append(text[pos:])
    index.extend(range(pos, len(text)))
    return CleanText("".join(out), index)


_PARAGRAPH_END = "。！？!?：:；;”」』）)…"


def has_paragraph_lines(text: str) -> bool:
    """True when lines are paragraphs (reports, transcripts), False when lines break
    mid-sentence as in the printed columns of a newspaper PDF.

    Lines longer than a headline are paragraphs when most of them end a sentence.
    """
    lines = [line.strip() for line in text.strip().splitlines()][1:]  # the first line may be a title
    body_lines = [line for line in lines if len(line) > 20]
    if not body_lines:
        return False
    ended = sum(1 for line in body_lines if line[-1] in _PARAGRAPH_END)
    return ended >= 0.6 * len(body_lines)

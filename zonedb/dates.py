"""Publication dates of documents: from a file name or from the text's dateline."""

from __future__ import annotations

import datetime as dt
import re

# xwlb-20230724-08.txt, 2024-09-10_page3.txt, 科学导报2024.09.10.txt, 20240910.txt
_NAME_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<sep>[-_.]?)(?P<m>0[1-9]|1[0-2])(?P=sep)(?P<d>0[1-9]|[12]\d|3[01])(?!\d)"
)
# 2026-02-11, 2026/2/11, 2026.02.11, 2026年2月11日, ２０２６年… (after width folding)
_TEXT_DATE = re.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*(?:[-/.]|年)\s*(?P<m>1[0-2]|0?[1-9])\s*(?:[-/.]|月)\s*"
    r"(?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"
)
TEXT_DATE_WINDOW = 600


def _make(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def date_from_name(name: str) -> dt.date | None:
    """The date written in a file name, e.g. ``xwlb-20230724-08.txt`` → 2023-07-24."""
    for m in _NAME_DATE.finditer(name):
        found = _make(m["y"], m["m"], m["d"])
        if found:
            return found
    return None


def date_from_text(text: str) -> dt.date | None:
    """The first full date in the opening lines of a text (a dateline such as ``时间：2026-02-11``)."""
    from zonedb.textnorm import fold_width

    for m in _TEXT_DATE.finditer(fold_width(text[:TEXT_DATE_WINDOW])):
        found = _make(m["y"], m["m"], m["d"])
        if found:
            return found
    return None


def parse_iso_date(value: str) -> dt.date:
    """Parse ``YYYY-MM-DD``; raise ValueError with a readable message otherwise."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"not a date in YYYY-MM-DD form: {value!r}") from None

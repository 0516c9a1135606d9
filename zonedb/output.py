"""Write rows to a stream as JSON lines, CSV or a readable table (streaming where possible)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TextIO

FORMATS = ("table", "jsonl", "csv")


def _json_value(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return str(_json_value(value))


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def write_rows(columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, out: TextIO,
               *, max_cell: int = 40) -> int:
    """Write ``rows`` (sequences aligned with ``columns``) in ``fmt``; return the row count."""
    n = 0
    if fmt == "jsonl":
        for row in rows:
            out.write(json.dumps({c: _json_value(v) for c, v in zip(columns, row, strict=True)},
                                 ensure_ascii=False) + "\n")
            n += 1
        return n
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_text(v) for v in row])
            n += 1
        return n
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    cells = [[_text(v).replace("\n", " ") for v in row] for row in rows]
    cells = [[c if _width(c) <= max_cell else c[: max_cell // 2 - 1] + "…" for c in row] for row in cells]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True)).rstrip()

    out.write(line(list(columns)) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for row in cells:
        out.write(line(row) + "\n")
    return len(cells)


def write_dicts(rows: Iterable[dict[str, Any]], columns: Sequence[str], fmt: str, out: TextIO) -> int:
    """Like :func:`write_rows` for dict rows, keeping only ``columns``."""
    return write_rows(columns, ([r.get(c) for c in columns] for r in rows), fmt, out)

"""Decode the bytes of a plain-text file into text.

Order of decisions: byte-order mark; NUL bytes (UTF-16 without BOM when the NULs sit on
one parity, else binary); strict UTF-8 (an incomplete sequence at the very end means a
truncated file); then GB18030, Big5 and BOM-less UTF-16 compete, and the candidate whose
decoding holds the largest share of frequent Chinese characters wins (ties go to GB18030).

charset-normalizer was measured and not used: on 16 whole news sentences (GB18030 and Big5
forms) it and the scorer below were both right 16/16, but on 32 short phrases (2-8
characters, e.g. headlines and table cells) it was right only 10/32 (``cp949``, ``johab``,
``utf_16_be``, ``cp1006`` …) while the scorer was right 32/32.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator

from zonedb.errors import EmptyInputError, InputError
from zonedb.sources._charfreq import SIMPLIFIED, TRADITIONAL

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_SHARE = 0.02
# Least share of frequent characters a legacy decoding needs to count as Chinese text;
# BOM-less UTF-16 must show more, since it turns any even-length byte string into characters.
_MIN_SCORE = 0.05
_MIN_SCORE_UTF16 = 0.3
BINARY = "binary file, not text"
TRUNCATED_UTF8 = "truncated UTF-8: the file ends in the middle of a character"
UNDECODABLE = "cannot decode as UTF-8, UTF-16, GB18030 or Big5"


def normalise_newlines(text: str) -> str:
    """Turn ``\\r\\n`` and lone ``\\r`` into ``\\n``."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# Control characters (category Cc) other than the allowed ones, and surrogates (Cs).
_BAD_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_BAD_CONTROL.findall(text)) / len(text)


def looks_binary(text: str) -> bool:
    """True when decoded text holds NULs or a high share of control characters."""
    return "\x00" in text or _control_share(text) > _MAX_CONTROL_SHARE


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def chinese_score(text: str, frequent: frozenset[str]) -> float:
    """Share of the non-ASCII characters of ``text`` that are frequent Chinese characters.

    Control, private-use and unassigned characters count against the score, so a
    mis-decoding that yields them loses to a clean one.
    """
    non_ascii = 0
    hits = 0
    penalty = 0
    for ch in text:
        if ch.isascii():
            if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) == "Cc":
                penalty += 1
            continue
        non_ascii += 1
        if ch in frequent:
            hits += 1
        elif unicodedata.category(ch) in ("Co", "Cn", "Cc", "Cs"):
            penalty += 1
    if non_ascii == 0:
        return 0.0
    return (hits - 2 * penalty) / non_ascii


def _control_bytes(data: bytes) -> bool:
    """True when raw control bytes are too many for any single-byte-compatible encoding."""
    bad = sum(1 for b in data if (b < 0x20 and b not in b"\t\n\r\x0b\x0c") or b == 0x7F)
    return bad > _MAX_CONTROL_SHARE * len(data)


def _utf16_by_nuls(data: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the NUL bytes sit almost all on one parity."""
    if len(data) % 2:
        return None
    even = data[0::2].count(0)
    odd = data[1::2].count(0)
    total = even + odd
    if total == 0:
        return None
    if odd / total >= 0.9:
        return "utf-16-le"
    if even / total >= 0.9:
        return "utf-16-be"
    return None


def _is_truncated_utf8(data: bytes, err: UnicodeDecodeError) -> bool:
    if err.end != len(data) or "unexpected end of data" not in err.reason:
        return False
    if len(data) - err.start > 3:
        return False
    prefix = data[: err.start]
    # An ASCII file ending in one GB18030/Big5 character also fails at the very end;
    # call it truncated UTF-8 only when the rest of the file shows UTF-8 or nothing else fits.
    if not prefix.isascii():
        return True
    return _strict(data, "gb18030") is None and _strict(data, "big5") is None


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)`` with newlines normalised to ``\\n``.

    Raises :class:`EmptyInputError` for an empty or blank file and :class:`InputError`
    for binary, truncated or undecodable data.
    """
    if not data.strip():
        raise EmptyInputError(name, "empty file")
    text, encoding = _decode(data, name)
    if looks_binary(text):
        raise InputError(name, BINARY)
    text = normalise_newlines(text)
    if not text.strip():
        raise EmptyInputError(name, "empty file")
    return text, encoding


def _decode(data: bytes, name: str) -> tuple[str, str]:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data, codec)
            if text is None:
                label = codec.upper().removesuffix("-SIG")
                raise InputError(
                    name, f"has a {label} byte-order mark but does not decode as {label}"
                )
            return text, codec

    if b"\x00" in data:
        wide = _utf16_by_nuls(data)
        decoded = _strict(data, wide) if wide else None
        if wide is None or decoded is None or looks_binary(decoded):
            raise InputError(name, BINARY)
        return decoded, wide

    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        if _is_truncated_utf8(data, err):
            raise InputError(name, TRUNCATED_UTF8) from None

    candidates: list[tuple[float, int, str, str]] = []
    saw_binary = False
    for rank, (codec, frequent) in enumerate(
        (
            ("gb18030", SIMPLIFIED),
            ("big5", TRADITIONAL),
            ("utf-16-le", SIMPLIFIED | TRADITIONAL),
            ("utf-16-be", SIMPLIFIED | TRADITIONAL),
        )
    ):
        if codec.startswith("utf-16") and len(data) % 2:
            continue
        text = _strict(data, codec)
        if text is None:
            continue
        if looks_binary(text):
            saw_binary = True
            continue
        score = chinese_score(text, frequent)
        if score < (_MIN_SCORE_UTF16 if codec.startswith("utf-16") else _MIN_SCORE):
            continue
        candidates.append((score, -rank, codec, text))
    if not candidates:
        raise InputError(name, BINARY if saw_binary or _control_bytes(data) else UNDECODABLE)
    _score, _rank, codec, text = max(candidates)
    return text, codec


# -- large files, decoded piece by piece --------------------------------------------------------
SAMPLE_BYTES = 1 << 20  # what the encoding is judged on when a file is read in pieces
_LOW_BYTE_TAIL = re.compile(rb"[\x00-\x3f][\x40-\xff]*\Z")


def _sample_for_detection(head: bytes) -> bytes:
    """A prefix of ``head`` that ends on a character boundary in every candidate encoding."""
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or b"\x00" in head[:4096]:
        return head[: len(head) - len(head) % 4]  # UTF-16/32: whole code units
    # A byte below 0x40 (line breaks, spaces, digits, ASCII punctuation) is never inside a
    # UTF-8, GB18030 or Big5 character: cut right after the last one.
    last = _LOW_BYTE_TAIL.search(head)
    return head[: last.start() + 1] if last else head


def iter_decoded(chunks: Iterator[bytes], name: str) -> tuple[str, Iterator[str]]:
    """Decode a large file given as byte chunks: return its encoding (judged on the first
    :data:`SAMPLE_BYTES`, as :func:`decode_text` judges a whole file) and an iterator of text
    pieces with newlines normalised.  Memory holds one chunk at a time.

    Raises :class:`InputError` (while iterating, too) for binary, truncated or undecodable data.
    """
    head = b""
    for chunk in chunks:
        head += chunk
        if len(head) >= SAMPLE_BYTES:
            break
    sample = _sample_for_detection(head[:SAMPLE_BYTES])
    if not sample.strip():
        raise EmptyInputError(name, "empty file") if not head.strip() else InputError(name, UNDECODABLE)
    _text, encoding = _decode(sample, name)
    return encoding, _pieces(head, chunks, encoding, name)


def _pieces(head: bytes, rest: Iterator[bytes], encoding: str, name: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    carry = ""  # a trailing \r waits for the next piece: it may start a \r\n
    for data, final in _with_final(head, rest):
        try:
            text = decoder.decode(data, final=final)
        except UnicodeDecodeError as err:
            if final and encoding == "utf-8" and "unexpected end of data" in err.reason:
                raise InputError(name, TRUNCATED_UTF8) from None
            raise InputError(name, f"cannot decode as {encoding} at byte {offset + err.start}") from None
        offset += len(data)
        if looks_binary(text):
            raise InputError(name, BINARY)
        text = carry + text
        carry = "\r" if text.endswith("\r") and not final else ""
        if carry:
            text = text[:-1]
        if text:
            yield normalise_newlines(text)


def _with_final(head: bytes, rest: Iterator[bytes]) -> Iterator[tuple[bytes, bool]]:
    """``head`` then every chunk of ``rest``, each with a flag telling whether it is the last."""
    current = head
    for chunk in rest:
        yield current, False
        current = chunk
    yield current, True
